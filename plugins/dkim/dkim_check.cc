#include "dkim_check.h"

#include <chrono>

#include "dkim_report.h"
#include "portcullis/log.h"

namespace portcullis::dkim {

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

DkimInstance::DkimInstance(std::shared_ptr<const DkimOptions> options, dns::Resolver* resolver,
                           Clock clock, std::shared_ptr<const DkimMetrics> metrics)
    : options_(std::move(options)),
      resolver_(resolver),
      clock_(std::move(clock)),
      metrics_(std::move(metrics)),
      verifier_(options_->verifier) {}

void DkimInstance::OnHeader(const TransactionInfo&, std::string_view name, std::string_view value) {
  // Our own bounded copy: info.message.headers follows the engine's limits,
  // which may differ from what a signature needs.
  verifier_.AddHeader(name, value);
}

void DkimInstance::OnEndOfHeaders(const TransactionInfo&) {
  verifier_.EndOfHeaders(resolver_, clock_());
}

void DkimInstance::OnBody(const TransactionInfo&, std::string_view chunk) {
  // The hashers exist only after end of headers; never hash into nothing.
  if (!verifier_.headers_done()) verifier_.EndOfHeaders(resolver_, clock_());
  verifier_.AddBody(chunk);
}

CheckResult DkimInstance::Finish(const TransactionInfo&, Deadline deadline) {
  // A transaction that skipped the end-of-headers stage still gets its
  // signatures checked (the lookups start late, that is all).
  if (!verifier_.headers_done()) verifier_.EndOfHeaders(resolver_, clock_());
  const std::vector<SignatureResult> results = verifier_.Finish(deadline);
  if (metrics_) metrics_->Count(results);
  return BuildCheckResult(results, verifier_.too_many_signatures(), *options_);
}

DkimCheck::DkimCheck(std::shared_ptr<const DkimOptions> options, dns::Resolver* resolver,
                     Clock clock, std::shared_ptr<const DkimMetrics> metrics)
    : options_(std::move(options)),
      resolver_(resolver),
      clock_(std::move(clock)),
      metrics_(std::move(metrics)) {}

std::unique_ptr<CheckInstance> DkimCheck::NewInstance() const {
  return std::make_unique<DkimInstance>(options_, resolver_, clock_, metrics_);
}

void DkimCheck::SelfTest() const {
  if (!resolver_) LogWarning("dkim: no DNS resolver; every signature gets DKIM_TEMPERROR");
}

std::unique_ptr<Check> MakeDkimCheck(ConfigReader& options, const CheckContext& context) {
  auto dkim_options = ReadDkimOptions(options);
  if (!dkim_options) return nullptr;
  std::shared_ptr<const DkimMetrics> metrics;
  if (context.metrics) metrics = DkimMetrics::Create(*context.metrics);
  return std::make_unique<DkimCheck>(std::move(dkim_options), context.resolver, SystemNow,
                                     std::move(metrics));
}

}  // namespace portcullis::dkim
