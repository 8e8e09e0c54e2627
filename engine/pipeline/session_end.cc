// End of message: collect the results, ask the policy, decide the header
// edits, and write the one summary line for the message.
#include <algorithm>
#include <cstdio>

#include "metrics/engine_metrics.h"
#include "pipeline/auth_results.h"
#include "pipeline/session.h"
#include "pipeline/transaction.h"
#include "portcullis/log.h"

namespace portcullis {
namespace {

using Clock = std::chrono::steady_clock;

// The summary line lists at most this many recipients; the rest are
// counted, so one message with thousands of recipients stays one line.
constexpr size_t kMaxLoggedRecipients = 20;

std::string FormatScore(double score) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f", score);
  return text;
}

std::string SymbolList(const Report& report) {
  std::string list;
  for (const CheckResult& result : report.results) {
    for (const Symbol& symbol : result.symbols) {
      if (!list.empty()) list += ", ";
      list += symbol.name + "(" + FormatScore(symbol.score) + ")";
    }
  }
  return list;
}

std::string RecipientList(const std::vector<std::string>& recipients) {
  std::string list;
  for (size_t i = 0; i < recipients.size() && i < kMaxLoggedRecipients; ++i) {
    if (i) list += ",";
    list += "<" + recipients[i] + ">";
  }
  if (recipients.size() > kMaxLoggedRecipients) {
    list += ",+" + std::to_string(recipients.size() - kMaxLoggedRecipients) + " more";
  }
  return list;
}

}  // namespace

EndOfMessageOutcome Session::EndOfMessage() {
  Transaction& tx = Begin();
  auto eom_start = Clock::now();
  if (auto it = macros_.find("i"); it != macros_.end()) tx.message.queue_id = it->second;
  const EngineConfig& config = tx.snapshot->config;
  Deadline deadline =
      Deadline::After(std::chrono::milliseconds(config.end_of_message_timeout_ms));
  TransactionInfo info = Info();

  EndOfMessageOutcome outcome;
  Report& report = outcome.report;
  // Checks read the results finished before them (the Snapshot orders the
  // checks so that those named in Check::after() come first).
  info.finished = &report.results;
  report.requests = tx.requests;
  if (tx.mime) {
    // The last MIME events (closing parts, a URL at the very end) reach the
    // checks before they finish; anomalies are the engine's findings.
    tx.mime->End();
    for (const Symbol& anomaly : tx.mime->anomalies()) tx.engine_symbols.push_back(anomaly);
  }
  for (Transaction::Instance& instance : tx.instances) {
    auto start = Clock::now();
    CheckResult result = instance.instance->Finish(info, deadline);
    instance.seconds += std::chrono::duration<double>(Clock::now() - start).count();
    result.check = instance.check->name;
    if (result.request && result.request->action != Action::kNone) {
      report.requests.emplace_back(result.check, *result.request);
    }
    EngineMetrics::Get().CountCheckResult(result.check, CheckStatusName(result.status));
    EngineMetrics::Get().ObserveCheckSeconds(result.check, instance.seconds);
    report.results.push_back(std::move(result));
  }
  if (!tx.engine_symbols.empty()) {
    CheckResult limits;
    limits.check = "portcullis";
    limits.status = CheckStatus::kPermerror;
    limits.symbols = tx.engine_symbols;
    report.results.push_back(std::move(limits));
  }
  report.score = TotalScore(report.results);

  outcome.verdict = tx.snapshot->policy->Decide(PolicyInput{report, info});
  outcome.edits = HeaderEdits(outcome.verdict, report);

  double eom_seconds = std::chrono::duration<double>(Clock::now() - eom_start).count();
  tx.work_seconds += eom_seconds;
  EngineMetrics::Get().ObserveEndOfMessageSeconds(eom_seconds);
  EngineMetrics::Get().ObserveTransactionSeconds(tx.work_seconds);
  EngineMetrics::Get().CountMessage(ActionName(outcome.verdict.action));
  LogSummary(outcome.verdict, report,
             std::chrono::duration<double, std::milli>(Clock::now() - tx.started).count());
  transaction_.reset();
  return outcome;
}

std::vector<HeaderEdit> Session::HeaderEdits(const Verdict& verdict,
                                             const Report& report) const {
  std::vector<HeaderEdit> edits;
  if (verdict.action != Action::kAccept && verdict.action != Action::kQuarantine) {
    return edits;  // nothing is delivered, nothing to edit
  }
  const HeadersConfig& headers = transaction_->snapshot->config.headers;
  // Delete from the highest occurrence down, so that whether the MTA counts
  // occurrences before or after earlier deletions, each index stays right.
  auto doomed = transaction_->headers_to_delete;
  std::sort(doomed.begin(), doomed.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [name, occurrence] : doomed) {
    edits.push_back({HeaderEdit::Kind::kDelete, name, "", occurrence});
  }
  // Checks' own trace headers (Received-SPF, RFC 7208 9.1) go on top, in
  // check order; the A-R inserted next lands above them.
  for (auto result = report.results.rbegin(); result != report.results.rend(); ++result) {
    for (const AddedHeader& header : result->headers) {
      if (header.prepend) edits.push_back({HeaderEdit::Kind::kInsert, header.name, header.value, 0});
    }
  }
  if (headers.add_auth_results) {
    // RFC 8601 5: prepended, above the headers it describes.
    edits.push_back({HeaderEdit::Kind::kInsert, "Authentication-Results",
                     BuildAuthResults(headers.authserv_id, report.results), 0});
  }
  // Only a message that scored gets the score and symbols headers: absence
  // means "nothing found, score 0". Each header is one more milter packet
  // and MTA round of work, and most mail finds nothing.
  std::string symbols = SymbolList(report);
  if (!symbols.empty() && !headers.score_header.empty()) {
    edits.push_back({HeaderEdit::Kind::kAppend, headers.score_header,
                     FormatScore(report.score), 0});
  }
  if (!symbols.empty() && !headers.symbols_header.empty()) {
    edits.push_back({HeaderEdit::Kind::kAppend, headers.symbols_header, symbols, 0});
  }
  if (verdict.action == Action::kQuarantine && !headers.quarantine_header.empty()) {
    // Postfix drops the quarantine reason when it holds the message; the
    // header keeps it with the message for whoever releases it.
    edits.push_back({HeaderEdit::Kind::kAppend, headers.quarantine_header,
                     verdict.reason.empty() ? "quarantined by policy" : verdict.reason, 0});
  }
  for (const CheckResult& result : report.results) {
    for (const AddedHeader& header : result.headers) {
      if (!header.prepend) edits.push_back({HeaderEdit::Kind::kAppend, header.name, header.value, 0});
    }
  }
  for (const HeaderField& header : verdict.add_headers) {
    edits.push_back({HeaderEdit::Kind::kAppend, header.name, header.value, 0});
  }
  return edits;
}

void Session::LogSummary(const Verdict& verdict, const Report& report,
                         double elapsed_ms) const {
  const MessageInfo& message = transaction_->message;
  std::string line = "queue_id=" + (message.queue_id.empty() ? "-" : message.queue_id);
  line += " client=" + (connection_.client_name.empty() ? "unknown" : connection_.client_name) +
          "[" + connection_.client_addr_text + "]";
  line += " from=<" + message.mail_from + ">";
  line += " rcpts=" + RecipientList(message.recipients);
  if (!transaction_->rejected_recipients.empty()) {
    line += " rejected_rcpts=" + RecipientList(transaction_->rejected_recipients);
  }
  line += " verdict=" + std::string(ActionName(verdict.action));
  if (verdict.action == Action::kReject || verdict.action == Action::kTempfail) {
    if (!verdict.smtp_code.empty()) {
      line += " reply=\"" + verdict.smtp_code + " " + verdict.enhanced_code + " " +
              verdict.text + "\"";
    }
  }
  line += " score=" + FormatScore(report.score);
  line += " symbols=[" + SymbolList(report) + "]";
  if (!verdict.reason.empty()) line += " reason=\"" + verdict.reason + "\"";
  line += " source=" + verdict.source;
  char elapsed[32];
  std::snprintf(elapsed, sizeof(elapsed), " elapsed_ms=%.1f", elapsed_ms);
  line += elapsed;
  LogInfo(line);
}

}  // namespace portcullis
