#include "probe_check.h"

#include "portcullis/check.h"
#include "portcullis/check_registry.h"

namespace portcullis::testing {

std::vector<std::string>& ProbeJournal() {
  static std::vector<std::string> journal;
  return journal;
}

Deadline& ProbeLastDeadline() {
  static Deadline deadline = Deadline::Never();
  return deadline;
}

namespace {

struct ProbeOptions {
  StageMask stages = 0;
  std::vector<std::string> reject_rcpt;
  bool tempfail_mail = false;
  std::string finish_action = "none";
  std::string symbol = "PROBE";
  double score = 1;
  std::string auth_results;
  std::string method;        // "dkim=pass header.d=example.org": one AuthMethodResult
  std::string trace_header;  // "Name: value", prepended
  std::string added_header;  // "Name: value", appended
  std::string early_symbol;  // when set, EarlyResult() gives this symbol
  std::string read_early;    // at RCPT TO, asks this check's early result
};

// "Name: value" into a header the result asks for.
void AddHeader(const std::string& line, bool prepend, CheckResult* result) {
  size_t colon = line.find(": ");
  if (colon == std::string::npos) return;
  result->headers.push_back({line.substr(0, colon), line.substr(colon + 2), prepend});
}

// "method=result key=value ..." into a structured method result.
void AddMethod(const std::string& text, CheckResult* result) {
  if (text.empty()) return;
  AuthMethodResult method;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    size_t eq = word.find('=');
    if (method.method.empty()) {
      method.method = word.substr(0, eq);
      method.result = word.substr(eq + 1);
    } else {
      method.properties.emplace_back(word.substr(0, eq), word.substr(eq + 1));
    }
    start = end + 1;
  }
  result->methods.push_back(std::move(method));
}

class ProbeInstance : public CheckInstance {
 public:
  explicit ProbeInstance(const ProbeOptions& options) : options_(options) {}
  std::optional<ActionRequest> OnConnect(const TransactionInfo& tx) override {
    ProbeJournal().push_back("connect " + tx.connection.client_addr_text);
    return std::nullopt;
  }
  std::optional<ActionRequest> OnHelo(const TransactionInfo& tx) override {
    ProbeJournal().push_back("helo " + tx.connection.helo);
    return std::nullopt;
  }
  std::optional<ActionRequest> OnMailFrom(const TransactionInfo& tx) override {
    ProbeJournal().push_back("mail " + tx.message.mail_from);
    if (options_.tempfail_mail) return ActionRequest{Action::kTempfail, "", "", "later", "T"};
    return std::nullopt;
  }
  std::optional<ActionRequest> OnRcpt(const TransactionInfo& tx, std::string_view rcpt) override {
    ProbeJournal().push_back("rcpt " + std::string(rcpt));
    if (!options_.read_early.empty()) {
      const CheckResult* early =
          tx.early ? tx.early->Get(options_.read_early, Deadline::After(std::chrono::milliseconds(10)))
                   : nullptr;
      ProbeJournal().push_back("read early " +
                               (early && !early->symbols.empty() ? early->symbols[0].name : "none"));
    }
    for (const std::string& bad : options_.reject_rcpt) {
      if (bad == rcpt) return ActionRequest{Action::kReject, "550", "5.1.1", "no such user", "R"};
    }
    return std::nullopt;
  }
  void OnHeader(const TransactionInfo&, std::string_view name, std::string_view value) override {
    ProbeJournal().push_back("header " + std::string(name) + ":" + std::string(value));
  }
  void OnEndOfHeaders(const TransactionInfo&) override { ProbeJournal().push_back("eoh"); }
  void OnBody(const TransactionInfo&, std::string_view chunk) override {
    ProbeJournal().push_back("body " + std::to_string(chunk.size()));
  }
  std::optional<CheckResult> EarlyResult(const TransactionInfo&, Deadline) override {
    if (options_.early_symbol.empty()) return std::nullopt;
    ProbeJournal().push_back("early asked");
    CheckResult result;
    result.symbols.push_back({options_.early_symbol, 0, "early"});
    return result;
  }
  CheckResult Finish(const TransactionInfo& tx, Deadline deadline) override {
    ProbeJournal().push_back("finish " + std::to_string(tx.message.recipients.size()));
    ProbeLastDeadline() = deadline;
    CheckResult result;
    result.status = CheckStatus::kFail;
    result.symbols.push_back({options_.symbol, options_.score, "probe"});
    if (!options_.auth_results.empty()) result.auth_results.push_back(options_.auth_results);
    AddMethod(options_.method, &result);
    AddHeader(options_.trace_header, true, &result);
    AddHeader(options_.added_header, false, &result);
    auto action = ParseAction(options_.finish_action);
    if (action && *action != Action::kNone) {
      result.request = ActionRequest{*action, "", "", "probe says so", "PROBE_REQUEST"};
    }
    return result;
  }

 private:
  const ProbeOptions& options_;
};

class ProbeCheck : public Check {
 public:
  explicit ProbeCheck(ProbeOptions options) : options_(std::move(options)) {}
  StageMask stages() const override { return options_.stages; }
  std::vector<std::string> after() const override {
    if (options_.read_early.empty()) return {};
    return {options_.read_early};
  }
  std::unique_ptr<CheckInstance> NewInstance() const override {
    return std::make_unique<ProbeInstance>(options_);
  }

 private:
  ProbeOptions options_;
};

std::unique_ptr<Check> MakeProbe(ConfigReader& reader, const CheckContext&) {
  ProbeOptions options;
  for (const std::string& stage : reader.StringList("stages")) {
    if (stage == "connect") options.stages |= kStageConnect;
    if (stage == "helo") options.stages |= kStageHelo;
    if (stage == "mail") options.stages |= kStageMailFrom;
    if (stage == "rcpt") options.stages |= kStageRcpt;
    if (stage == "header") options.stages |= kStageHeader;
    if (stage == "eoh") options.stages |= kStageEndOfHeaders;
    if (stage == "body") options.stages |= kStageBody;
  }
  options.reject_rcpt = reader.StringList("reject_rcpt");
  options.tempfail_mail = reader.Boolean("tempfail_mail", false);
  options.finish_action = reader.String("finish_action", "none");
  options.symbol = reader.String("symbol", "PROBE");
  options.score = reader.Number("score", 1, -1000, 1000);
  options.auth_results = reader.String("auth_results", "");
  options.method = reader.String("method", "");
  options.trace_header = reader.String("trace_header", "");
  options.added_header = reader.String("added_header", "");
  options.early_symbol = reader.String("early_symbol", "");
  options.read_early = reader.String("read_early", "");
  return std::make_unique<ProbeCheck>(std::move(options));
}

}  // namespace

PORTCULLIS_REGISTER_CHECK(probe, MakeProbe);
// A second probe, so that one can read the other's early result.
PORTCULLIS_REGISTER_CHECK(probe_reader, MakeProbe);

}  // namespace portcullis::testing
