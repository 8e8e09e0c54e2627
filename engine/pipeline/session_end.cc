// End of message: collect the results, ask the policy, decide the header
// edits, and write the one summary line for the message.
#include <algorithm>
#include <charconv>
#include <system_error>

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

// "%.2f" without printf's machinery (this runs for every symbol of every
// message); std::to_chars rounds exactly as printf does.
void AppendFixed(double value, int decimals, std::string* out) {
  char text[64];
  auto [end, error] = std::to_chars(text, text + sizeof(text), value, std::chars_format::fixed,
                                    decimals);
  if (error != std::errc()) {
    out->append("nan");
    return;
  }
  out->append(text, end);
}

std::string FormatScore(double score) {
  std::string text;
  AppendFixed(score, 2, &text);
  return text;
}

void AppendSymbolList(const Report& report, std::string* list) {
  bool first = true;
  for (const CheckResult& result : report.results) {
    for (const Symbol& symbol : result.symbols) {
      if (!first) list->append(", ");
      first = false;
      list->append(symbol.name).push_back('(');
      AppendFixed(symbol.score, 2, list);
      list->push_back(')');
    }
  }
}

void AppendRecipientList(const std::vector<std::string>& recipients, std::string* list) {
  for (size_t i = 0; i < recipients.size() && i < kMaxLoggedRecipients; ++i) {
    if (i) list->push_back(',');
    list->append("<").append(recipients[i]).push_back('>');
  }
  if (recipients.size() > kMaxLoggedRecipients) {
    list->append(",+")
        .append(std::to_string(recipients.size() - kMaxLoggedRecipients))
        .append(" more");
  }
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
  report.results.reserve(tx.instances.size() + 1);  // + the engine's own findings
  for (Transaction::Instance& instance : tx.instances) {
    auto start = Clock::now();
    CheckResult result = instance.instance->Finish(info, deadline);
    instance.elapsed += Clock::now() - start;
    result.check = instance.check->name;
    if (result.request && result.request->action != Action::kNone) {
      report.requests.emplace_back(result.check, *result.request);
    }
    instance.check->metrics.Count(result.status);
    instance.check->metrics.seconds->Observe(
        std::chrono::duration<double>(instance.elapsed).count());
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

  const Clock::duration eom_work = Clock::now() - eom_start;
  tx.work += eom_work;
  EngineMetrics::Get().ObserveEndOfMessageSeconds(std::chrono::duration<double>(eom_work).count());
  EngineMetrics::Get().ObserveTransactionSeconds(std::chrono::duration<double>(tx.work).count());
  EngineMetrics::Get().CountMessage(outcome.verdict.action);
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
  std::string symbols;
  AppendSymbolList(report, &symbols);
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
  if (!LogEnabled(LogLevel::kInfo)) return;
  const MessageInfo& message = transaction_->message;
  std::string line;
  line.reserve(512);
  line.append("queue_id=").append(message.queue_id.empty() ? "-" : message.queue_id);
  line.append(" client=")
      .append(connection_.client_name.empty() ? "unknown" : connection_.client_name)
      .append("[")
      .append(connection_.client_addr_text)
      .append("]");
  line.append(" from=<").append(message.mail_from).append(">");
  line.append(" rcpts=");
  AppendRecipientList(message.recipients, &line);
  if (!transaction_->rejected_recipients.empty()) {
    line.append(" rejected_rcpts=");
    AppendRecipientList(transaction_->rejected_recipients, &line);
  }
  line.append(" verdict=").append(ActionName(verdict.action));
  if (verdict.action == Action::kReject || verdict.action == Action::kTempfail) {
    if (!verdict.smtp_code.empty()) {
      line.append(" reply=\"")
          .append(verdict.smtp_code)
          .append(" ")
          .append(verdict.enhanced_code)
          .append(" ")
          .append(verdict.text)
          .append("\"");
    }
  }
  line.append(" score=");
  AppendFixed(report.score, 2, &line);
  line.append(" symbols=[");
  AppendSymbolList(report, &line);
  line.append("]");
  if (!verdict.reason.empty()) line.append(" reason=\"").append(verdict.reason).append("\"");
  line.append(" source=").append(verdict.source);
  line.append(" elapsed_ms=");
  AppendFixed(elapsed_ms, 1, &line);
  LogInfo(line);
}

}  // namespace portcullis
