#include "arc_check.h"

#include "arc_report.h"
#include "portcullis/log.h"

namespace portcullis::arc {

ArcInstance::ArcInstance(std::shared_ptr<const ArcOptions> options, dns::Resolver* resolver)
    : options_(std::move(options)), resolver_(resolver), verifier_(options_->chain) {}

void ArcInstance::OnHeader(const TransactionInfo&, std::string_view name, std::string_view value) {
  // Our own bounded copy, as the dkim check keeps one.
  verifier_.AddHeader(name, value);
}

void ArcInstance::OnEndOfHeaders(const TransactionInfo&) { verifier_.EndOfHeaders(resolver_); }

void ArcInstance::OnBody(const TransactionInfo&, std::string_view chunk) {
  // The body hasher exists only after end of headers.
  if (!verifier_.headers_done()) verifier_.EndOfHeaders(resolver_);
  verifier_.AddBody(chunk);
}

CheckResult ArcInstance::Finish(const TransactionInfo&, Deadline deadline) {
  if (!verifier_.headers_done()) verifier_.EndOfHeaders(resolver_);
  return BuildCheckResult(verifier_.Finish(deadline), *options_);
}

ArcCheck::ArcCheck(std::shared_ptr<const ArcOptions> options, dns::Resolver* resolver)
    : options_(std::move(options)), resolver_(resolver) {}

std::unique_ptr<CheckInstance> ArcCheck::NewInstance() const {
  return std::make_unique<ArcInstance>(options_, resolver_);
}

void ArcCheck::SelfTest() const {
  if (!resolver_) LogWarning("arc: no DNS resolver; every ARC chain gets ARC_TEMPERROR");
}

std::unique_ptr<Check> MakeArcCheck(ConfigReader& options, const CheckContext& context) {
  auto arc_options = ReadArcOptions(options);
  if (!arc_options) return nullptr;
  return std::make_unique<ArcCheck>(std::move(arc_options), context.resolver);
}

}  // namespace portcullis::arc
