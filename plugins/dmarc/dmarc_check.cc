#include "dmarc_check.h"

#include <ctime>
#include <random>

#include "dmarc_from.h"
#include "dmarc_report.h"
#include "portcullis/log.h"

namespace portcullis::dmarc {
namespace {

// RFC 5322 3.6 allows one From; only "more than one" matters, so a message
// with hundreds does not make us keep hundreds of values.
constexpr size_t kMaxFromValues = 2;

bool IsFrom(std::string_view name) {
  return name.size() == 4 && (name[0] | 0x20) == 'f' && (name[1] | 0x20) == 'r' &&
         (name[2] | 0x20) == 'o' && (name[3] | 0x20) == 'm';
}

}  // namespace

double RandomDraw() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0, 100)(engine);
}

DmarcCheck::DmarcCheck(std::shared_ptr<const DmarcOptions> options, dns::Resolver* resolver,
                       DrawFunction draw, std::shared_ptr<ReportStore> store)
    : options_(std::move(options)),
      resolver_(resolver),
      draw_(std::move(draw)),
      store_(std::move(store)) {}

StageMask DmarcCheck::stages() const {
  // A report record for a bounce names the HELO domain when SPF did not run
  // (RFC 7489 Appendix C wants an spf element); only then is HELO needed.
  return kStageHeader | kStageEndOfHeaders | (store_ ? kStageHelo : 0u);
}

std::unique_ptr<CheckInstance> DmarcCheck::NewInstance() const {
  return std::make_unique<DmarcInstance>(options_, resolver_, draw_, store_);
}

void DmarcCheck::SelfTest() const {
  if (!resolver_) LogWarning("dmarc: no DNS resolver; every message gets DMARC_TEMPERROR");
}

DmarcInstance::DmarcInstance(std::shared_ptr<const DmarcOptions> options, dns::Resolver* resolver,
                             DrawFunction draw, std::shared_ptr<ReportStore> store)
    : options_(std::move(options)),
      resolver_(resolver),
      draw_(std::move(draw)),
      store_(std::move(store)) {}

void DmarcInstance::OnHeader(const TransactionInfo&, std::string_view name,
                             std::string_view value) {
  if (!IsFrom(name)) return;
  ++from_count_;
  if (from_values_.size() < kMaxFromValues) from_values_.emplace_back(value);
}

void DmarcInstance::OnEndOfHeaders(const TransactionInfo&) {
  headers_done_ = true;
  AuthorDomain author = FindAuthorDomain(from_values_);
  from_problem_ = author.problem;
  author_domain_ = std::move(author.domain);
  if (!author_domain_ || !resolver_) return;
  // Start the lookups now; Finish() only joins them (STYLE.md habit 8).
  discovery_ = StartDiscovery(*resolver_, *author_domain_,
                              options_->psl->OrganizationalDomain(*author_domain_),
                              Deadline::After(options_->timeout));
}

CheckResult DmarcInstance::Finish(const TransactionInfo& info, Deadline deadline) {
  if (!headers_done_) {
    // No header stages seen (an offline scan): take the headers we have.
    for (const HeaderField& field : info.message.headers) OnHeader(info, field.name, field.value);
    OnEndOfHeaders(info);
  }
  if (!author_domain_) {
    if (from_count_ > 1) from_problem_ = std::to_string(from_count_) + " From headers";
    return ResultForBadFrom(*options_, from_problem_);
  }
  Discovery discovery;
  if (!discovery_) {
    discovery.status = DiscoveryStatus::kTempError;
    discovery.error = "no DNS resolver";
  } else if (auto found = discovery_->WaitUntil(deadline)) {
    discovery = std::move(*found);
  } else {
    discovery.status = DiscoveryStatus::kTempError;
    discovery.error = "DNS answers outstanding at the end-of-message deadline";
  }
  static const std::vector<CheckResult> kNoResults;
  const AuthFacts facts = FactsFromResults(info.finished ? *info.finished : kNoResults);
  const Verdict verdict = Evaluate(*options_->psl, *author_domain_, discovery, facts, draw_());
  // RFC 7489 7.2: report data for every message evaluated against a policy.
  // Append counts and logs its own errors; it never changes the result.
  if (store_ && discovery.status == DiscoveryStatus::kFound &&
      (verdict.result == DmarcResult::kPass || verdict.result == DmarcResult::kFail)) {
    store_->Append(
        MakeReportRecord(info, discovery, verdict, options_->honour_policy, std::time(nullptr)));
  }
  return ResultForVerdict(*options_, verdict);
}

std::unique_ptr<Check> MakeDmarcCheck(ConfigReader& options, const CheckContext& context) {
  auto dmarc_options = ReadDmarcOptions(options, context.config_dir);
  if (!dmarc_options) return nullptr;
  // Without a state directory (unit tests, `portcullis scan` without one)
  // there is nowhere to record.
  std::shared_ptr<ReportStore> store;
  if (dmarc_options->aggregate_reports && !context.state_dir.empty() && !context.offline) {
    store =
        std::make_shared<ReportStore>(context.state_dir, dmarc_options->report_max_bytes_per_day);
  }
  return std::make_unique<DmarcCheck>(std::move(dmarc_options), context.resolver, RandomDraw,
                                      std::move(store));
}

}  // namespace portcullis::dmarc
