#include "iprev_check.h"

namespace portcullis::iprev {
namespace {

// Text we put in an A-R comment: our own reasons and names that passed
// IsUsableHostName, but resolver error texts too; nothing that could end
// the comment or the header.
std::string CommentText(std::string_view text) {
  std::string safe;
  for (char c : text.substr(0, 200)) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == ' ' || c == '.' || c == '-' || c == '_' || c == ':';
    safe += plain ? c : '?';
  }
  return safe;
}

std::string Comment(const IprevOutcome& outcome) {
  switch (outcome.result) {
    case IprevResult::kPass: return outcome.name;
    case IprevResult::kFail: return "no forward match for " + outcome.name;
    case IprevResult::kNoPtr: return "no PTR record";
    case IprevResult::kTempError:
    case IprevResult::kPermError: return outcome.reason;
  }
  return outcome.reason;
}

class IprevInstance : public CheckInstance {
 public:
  IprevInstance(const IprevOptions& options, dns::Resolver* resolver)
      : options_(options), resolver_(resolver) {}

  std::optional<ActionRequest> OnConnect(const TransactionInfo& info) override {
    if (evaluation_ || !resolver_ || !info.connection.client_addr) return std::nullopt;
    // An IPv4-mapped client is the IPv4 host it stands for; its PTR lives
    // in in-addr.arpa.
    client_ = info.connection.client_addr->UnmapV4().value_or(*info.connection.client_addr);
    evaluation_ = StartIprev(*resolver_, *client_, Deadline::After(options_.timeout));
    return std::nullopt;
  }

  CheckResult Finish(const TransactionInfo&, Deadline deadline) override {
    if (!evaluation_) return CheckResult{};  // no client address: no iprev at all
    std::optional<IprevOutcome> outcome = evaluation_->WaitUntil(deadline);
    if (!outcome) {
      outcome = IprevOutcome{IprevResult::kTempError, "", "timeout", 0};
    }
    return BuildIprevResult(*outcome, *client_, options_);
  }

 private:
  const IprevOptions options_;  // a copy: a few numbers, and no lifetime questions
  dns::Resolver* resolver_;
  std::optional<IpAddress> client_;
  AsyncResultPtr<IprevOutcome> evaluation_;
};

}  // namespace

std::string IprevAuthResult(const IprevOutcome& outcome, const IpAddress& client) {
  std::string address = client.ToString();
  if (!client.is_v4()) address = "\"" + address + "\"";
  std::string text =
      "iprev=" + std::string(IprevResultName(outcome.result)) + " policy.iprev=" + address;
  if (std::string comment = CommentText(Comment(outcome)); !comment.empty()) {
    text += " (" + comment + ")";
  }
  return text;
}

CheckResult BuildIprevResult(const IprevOutcome& outcome, const IpAddress& client,
                             const IprevOptions& options) {
  CheckResult result;
  switch (outcome.result) {
    case IprevResult::kPass: result.status = CheckStatus::kPass; break;
    case IprevResult::kFail: result.status = CheckStatus::kFail; break;
    case IprevResult::kTempError: result.status = CheckStatus::kTemperror; break;
    case IprevResult::kPermError:
    case IprevResult::kNoPtr: result.status = CheckStatus::kPermerror; break;
  }
  std::string detail = outcome.name.empty() ? outcome.reason : outcome.name + ": " + outcome.reason;
  if (outcome.ptr_names > kMaxPtrNames) {
    detail += " (first " + std::to_string(kMaxPtrNames) + " of " +
              std::to_string(outcome.ptr_names) + " PTR names)";
  }
  result.symbols.push_back(
      {std::string(SymbolOf(outcome.result)), options.score(outcome.result), detail});
  result.auth_results.push_back(IprevAuthResult(outcome, client));
  result.methods.push_back({"iprev", std::string(IprevResultName(outcome.result)),
                            {{"policy.iprev", client.ToString()}}});
  return result;
}

std::unique_ptr<CheckInstance> IprevCheck::NewInstance() const {
  return std::make_unique<IprevInstance>(options_, resolver_);
}

std::unique_ptr<Check> MakeIprevCheck(ConfigReader& options, const CheckContext& context) {
  std::optional<IprevOptions> read = ReadIprevOptions(options);
  if (!read) return nullptr;
  return std::make_unique<IprevCheck>(std::move(*read), context.resolver);
}

}  // namespace portcullis::iprev
