#include "spf_instance.h"

#include "spf_report.h"

namespace portcullis::spf {

SpfInstance::SpfInstance(std::shared_ptr<const SpfOptions> options, dns::Resolver* resolver,
                         std::shared_ptr<RecordCache> cache,
                         std::shared_ptr<const SpfMetrics> metrics)
    : options_(std::move(options)),
      resolver_(resolver),
      cache_(std::move(cache)),
      metrics_(std::move(metrics)) {}

SpfInstance::~SpfInstance() {
  // An aborted transaction: stop the lookups; late answers are dropped.
  if (mail_from_check_) mail_from_check_->Cancel("transaction ended");
  if (helo_check_) helo_check_->Cancel("transaction ended");
}

std::optional<ActionRequest> SpfInstance::OnMailFrom(const TransactionInfo& info) {
  Start(info);
  return std::nullopt;  // decided at end of message
}

void SpfInstance::Start(const TransactionInfo& info) {
  started_ = true;
  mail_from_ = info.message.mail_from;
  helo_ = info.connection.helo;
  // A unix-socket or local submission has no client address to check.
  if (!info.connection.client_addr) {
    no_client_ = true;
    return;
  }
  if (!resolver_) return;
  EvaluationOptions evaluation;
  evaluation.deadline = Deadline::After(options_->timeout);
  evaluation.cache = cache_;
  const IpAddress& ip = *info.connection.client_addr;
  // RFC 7208 7.3: %{r} is the checking host; Sendmail and Postfix send {j}.
  auto receiver = info.macros.find("j");
  CheckHostRequest request = MailFromRequest(ip, mail_from_, helo_);
  if (receiver != info.macros.end() && !receiver->second.empty()) {
    request.receiver = receiver->second;
  }
  mail_from_check_ = StartCheckHost(*resolver_, request, evaluation);
  if (options_->check_helo && !mail_from_.empty()) {
    CheckHostRequest helo = HeloRequest(ip, helo_);
    helo.receiver = request.receiver;
    helo_check_ = StartCheckHost(*resolver_, std::move(helo), evaluation);
  }
}

SpfOutcome SpfInstance::Wait(const std::shared_ptr<Evaluation>& evaluation,
                             Deadline deadline) const {
  if (auto outcome = evaluation->result()->WaitUntil(deadline)) return *outcome;
  evaluation->Cancel("DNS answers outstanding at the end-of-message deadline");
  return *evaluation->result()->WaitUntil(Deadline::Never());
}

void SpfInstance::AddOutcome(const SpfOutcome& outcome, CheckResult* result) const {
  const bool null_sender = mail_from_.empty();
  const Identity identity = null_sender ? Identity::kHelo : Identity::kMailFrom;
  result->status = ToCheckStatus(outcome.result);
  std::string detail = outcome.reason;
  if (!outcome.explanation.empty()) detail += "; explanation: " + outcome.explanation;
  result->symbols.push_back({"SPF_" + std::string(ResultSymbolSuffix(outcome.result)),
                             options_->ScoreFor(outcome.result), detail});
  result->auth_results.push_back(
      AuthResultsFragment(outcome, identity, null_sender ? helo_ : mail_from_));
  result->methods.push_back({"spf", std::string(ResultName(outcome.result)),
                             {{null_sender ? "smtp.helo" : "smtp.mailfrom",
                               null_sender ? helo_ : mail_from_}}});
}

std::optional<CheckResult> SpfInstance::EarlyResult(const TransactionInfo&, Deadline deadline) {
  // Waits without cancelling: Finish() may still get the answer later.
  if (!started_ || no_client_ || !resolver_ || !mail_from_check_) return std::nullopt;
  std::optional<SpfOutcome> outcome = mail_from_check_->result()->WaitUntil(deadline);
  if (!outcome) return std::nullopt;
  CheckResult result;
  AddOutcome(*outcome, &result);
  return result;
}

CheckResult SpfInstance::Finish(const TransactionInfo& info, Deadline deadline) {
  if (!started_) Start(info);  // no MAIL FROM stage seen (an offline scan)
  CheckResult result;
  if (no_client_) {
    result.status = CheckStatus::kNone;
    result.symbols.push_back({"SPF_NO_CLIENT_ADDRESS", options_->no_client_address_score,
                              "local connection: SPF does not apply"});
    return result;
  }

  SpfOutcome outcome;
  if (!resolver_) {
    outcome.result = SpfResult::kTemperror;
    outcome.reason = "no resolver";
  } else {
    outcome = Wait(mail_from_check_, deadline);
  }
  const bool null_sender = mail_from_.empty();
  const Identity identity = null_sender ? Identity::kHelo : Identity::kMailFrom;
  if (metrics_ && resolver_) metrics_->Count(identity, outcome.result);
  AddOutcome(outcome, &result);
  if (options_->received_spf_header && info.connection.client_addr) {
    // RFC 7208 9.1: prepended, like the trace field it is.
    auto receiver = info.macros.find("j");
    result.headers.push_back(
        {"Received-SPF",
         ReceivedSpfValue(outcome, identity, *info.connection.client_addr, mail_from_, helo_,
                          receiver == info.macros.end() ? "" : receiver->second),
         /*prepend=*/true});
  }

  if (helo_check_) {
    const SpfOutcome helo = Wait(helo_check_, deadline);
    if (metrics_) metrics_->Count(Identity::kHelo, helo.result);
    result.symbols.push_back({"SPF_HELO_" + std::string(ResultSymbolSuffix(helo.result)),
                              options_->HeloScoreFor(helo.result), helo.reason});
  }
  result.request = RequestFor(*options_, outcome);
  return result;
}

}  // namespace portcullis::spf
