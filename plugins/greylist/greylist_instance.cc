#include "greylist_instance.h"

#include "greylist_decide.h"
#include "greylist_error_log.h"
#include "greylist_keys.h"
#include "greylist_triplet.h"

namespace portcullis::greylist {
namespace {

// The domain of an smtp.mailfrom value: spf gives the whole address, other
// producers may give the domain alone.
std::string MailFromDomain(const std::string& value) {
  return value.find('@') == std::string::npos ? ToLower(value) : AddressDomain(value);
}

// RFC 7208 2.4: an SPF pass for MAIL FROM vouches for the envelope sender's
// domain; a pass for HELO (null sender) or for another domain does not.
bool SpfPassForSender(const CheckResult& spf, const std::string& sender_domain) {
  if (sender_domain.empty()) return false;
  for (const AuthMethodResult& method : spf.methods) {
    if (method.method != "spf" || method.result != "pass") continue;
    const std::string mailfrom = method.Property("smtp.mailfrom");
    if (!mailfrom.empty() && MailFromDomain(mailfrom) == sender_domain) return true;
  }
  return false;
}

const Symbol* FindSymbol(const CheckResult* result, const std::vector<std::string>& names) {
  if (!result) return nullptr;
  for (const Symbol& symbol : result->symbols) {
    for (const std::string& name : names) {
      if (symbol.name == name) return &symbol;
    }
  }
  return nullptr;
}

}  // namespace

const std::optional<GreylistInstance::Skip>& GreylistInstance::CheapSkip(
    const TransactionInfo& info) {
  if (cheap_checked_) return cheap_skip_;
  cheap_checked_ = true;
  const GreylistConfig& config = *shared_->config;
  const ConnectionInfo& connection = info.connection;
  if (!connection.client_addr) {
    // A local (unix socket) submission: no network to greylist.
    cheap_skip_ = Skip{Decision::kSkipped, "no client address"};
  } else if (config.skip_authenticated && !info.message.auth_authen.empty()) {
    // Authenticated submission (RFC 6409) is not what greylisting is for.
    cheap_skip_ = Skip{Decision::kSkipped, "authenticated"};
  } else if (config.skip_networks.MatchesClient(*connection.client_addr)) {
    cheap_skip_ = Skip{Decision::kSkipped, "skip.networks"};
  } else if (config.allowlists.MatchesClient(connection.client_addr, connection.client_name)) {
    cheap_skip_ = Skip{Decision::kAllowlisted, "client"};
  } else {
    SenderOptions plain = config.sender;
    plain.replace_digits = false;  // allowlist entries are written with their digits
    if (config.allowlists.MatchesSender(NormaliseSender(info.message.mail_from, plain))) {
      cheap_skip_ = Skip{Decision::kAllowlisted, "sender"};
    }
  }
  return cheap_skip_;
}

const std::optional<GreylistInstance::Skip>& GreylistInstance::EvidenceSkip(
    const TransactionInfo& info) {
  if (evidence_checked_) return evidence_skip_;
  evidence_checked_ = true;
  const GreylistConfig& config = *shared_->config;
  if (!config.NeedsEarlyResults() || !info.early) return evidence_skip_;
  // One wait budget for the message, however many results are asked.
  const Deadline deadline = Deadline::After(config.early_wait);
  const CheckResult* spf = info.early->Get("spf", deadline);
  if (config.skip_spf_pass && spf &&
      SpfPassForSender(*spf, AddressDomain(info.message.mail_from))) {
    evidence_skip_ = Skip{Decision::kSkipped, "spf pass"};
    return evidence_skip_;
  }
  if (config.skip_symbols.empty()) return evidence_skip_;
  const Symbol* symbol = FindSymbol(spf, config.skip_symbols);
  if (!symbol) symbol = FindSymbol(info.early->Get("dnsbl", deadline), config.skip_symbols);
  if (symbol) evidence_skip_ = Skip{Decision::kSkipped, "symbol " + symbol->name};
  return evidence_skip_;
}

std::optional<ActionRequest> GreylistInstance::Record(Decision decision, std::string_view detail,
                                                      Seconds retry_in) {
  const size_t index = static_cast<size_t>(decision);
  if (counts_[index]++ == 0) details_[index] = std::string(detail);
  if (shared_->metrics) shared_->metrics->Count(decision);
  const bool tempfail = IsTempfail(decision) || (decision == Decision::kRcptLimit && tempfailed_);
  if (!tempfail) return std::nullopt;
  if (IsTempfail(decision) && (!tempfailed_ || retry_in > *tempfailed_)) tempfailed_ = retry_in;
  const GreylistConfig& config = *shared_->config;
  ActionRequest request;
  request.action = Action::kTempfail;
  // RFC 5321 4.2.1 (4yz: transient) and RFC 3463 3.8 (X.7.1, policy).
  request.smtp_code = "451";
  request.enhanced_code = "4.7.1";
  request.text = config.ReplyText(*tempfailed_);
  request.reason = std::string(DecisionSymbol(decision));
  return request;
}

std::optional<ActionRequest> GreylistInstance::OnRcpt(const TransactionInfo& info,
                                                      std::string_view recipient) {
  if (shared_->offline) return std::nullopt;  // record nothing offline
  const GreylistConfig& config = *shared_->config;
  if (const auto& skip = CheapSkip(info)) return Record(skip->decision, skip->detail);

  const std::string rcpt =
      NormaliseRecipient(recipient, config.recipient_strip_subaddress, config.sender.separators);
  // The recipient allowlist always ignores sub-addresses: postmaster+x is
  // still postmaster.
  if (config.allowlists.MatchesRecipient(StripSubaddress(rcpt, config.sender.separators))) {
    return Record(Decision::kAllowlisted, "recipient");
  }
  if (const auto& skip = EvidenceSkip(info)) return Record(skip->decision, skip->detail);
  if (network_allowlisted_) return Record(*network_allowlisted_, "network");

  if (!shared_->store) {
    LogStoreError("no store configured", config.log_interval);
    return Record(Decision::kStoreError, "no store");
  }
  if (store_failed_) return Record(Decision::kStoreError, "store failed earlier in this message");
  if (lookups_ >= config.max_recipients) {
    // Bounded work: past the limit a recipient shares the message's
    // strongest decision so far (see README "Many recipients").
    return Record(Decision::kRcptLimit, "more than max_recipients");
  }
  ++lookups_;

  Triplet triplet;
  triplet.network =
      ClientNetwork(*info.connection.client_addr, config.ipv4_prefix, config.ipv6_prefix);
  triplet.sender = NormaliseSender(info.message.mail_from, config.sender);
  triplet.recipient = rcpt;
  StoreDecision decided = DecideWithStore(*shared_->store, config, triplet, shared_->now());
  if (decided.decision == Decision::kStoreError) {
    store_failed_ = true;
    LogStoreError(decided.error, config.log_interval);
    return Record(Decision::kStoreError, decided.error);
  }
  if (decided.write_failed) LogStoreError(decided.error, config.log_interval);
  if (decided.decision == Decision::kAllowlisted) {
    network_allowlisted_ = decided.decision;
    return Record(decided.decision, "manual store entry");
  }
  if (decided.decision == Decision::kAutoAllowlisted) {
    network_allowlisted_ = decided.decision;
    return Record(decided.decision, triplet.network);
  }
  return Record(decided.decision, "", decided.retry_in);
}

CheckResult GreylistInstance::Finish(const TransactionInfo&, Deadline) {
  CheckResult result;
  const GreylistConfig& config = *shared_->config;
  for (size_t i = 0; i < kDecisionCount; ++i) {
    if (counts_[i] == 0) continue;
    const auto decision = static_cast<Decision>(i);
    std::string detail =
        std::to_string(counts_[i]) + (counts_[i] == 1 ? " recipient" : " recipients");
    if (!details_[i].empty()) detail += ": " + details_[i];
    result.symbols.push_back(
        {std::string(DecisionSymbol(decision)), config.ScoreOf(decision), detail});
  }
  return result;
}

}  // namespace portcullis::greylist
