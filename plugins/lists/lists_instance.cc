#include "lists_instance.h"

namespace portcullis::lists {
namespace {

// Symbol details end up in logs and headers; bound what a client controls.
constexpr size_t kMaxDetailBytes = 100;

std::string Detail(std::string_view text) {
  std::string detail;
  for (char c : text.substr(0, kMaxDetailBytes)) {
    detail += (static_cast<unsigned char>(c) < ' ' || c == 0x7f) ? '?' : c;
  }
  if (text.size() > kMaxDetailBytes) detail += "...";
  return detail;
}

}  // namespace

ActionRequest ListsInstance::BlockRequest(ListKey key) const {
  ActionRequest request = config_->block_reply;
  if (config_->block_action == BlockAction::kQuarantine) {
    request = ActionRequest{};
    request.action = Action::kQuarantine;
  }
  request.reason = BlockSymbol(key);
  return request;
}

std::optional<ActionRequest> ListsInstance::OnConnect(const TransactionInfo& info) {
  client_ = Hits{};
  const auto& address = info.connection.client_addr;
  if (!address) return std::nullopt;  // unix socket or local submission
  client_.allow = config_->allow[kClient].MatchesClient(*address);
  client_.block = config_->block[kClient].MatchesClient(*address);
  if (client_.hit()) client_.detail = address->ToString();
  return std::nullopt;  // blocks are applied per recipient at RCPT TO
}

std::optional<ActionRequest> ListsInstance::OnHelo(const TransactionInfo& info) {
  // Replayed per message, and a client may send EHLO again: the last wins.
  helo_ = Hits{};
  const std::string& helo = info.connection.helo;
  helo_.allow = config_->allow[kHelo].MatchesHelo(helo);
  helo_.block = config_->block[kHelo].MatchesHelo(helo);
  if (helo_.hit()) helo_.detail = Detail(helo);
  return std::nullopt;
}

std::optional<ActionRequest> ListsInstance::OnMailFrom(const TransactionInfo& info) {
  sender_ = Hits{};
  const std::string& sender = info.message.mail_from;
  if (sender.empty()) return std::nullopt;  // null sender <>: bounces, nothing to match
  sender_.allow = config_->allow[kSender].MatchesAddress(sender);
  sender_.block = config_->block[kSender].MatchesAddress(sender);
  if (sender_.hit()) sender_.detail = Detail(sender);
  return std::nullopt;
}

std::optional<ActionRequest> ListsInstance::OnRcpt(const TransactionInfo&,
                                                   std::string_view recipient) {
  const bool allowed = config_->allow[kRecipient].MatchesAddress(recipient);
  const bool blocked = config_->block[kRecipient].MatchesAddress(recipient);
  recipients_allowed_ += allowed;
  recipients_blocked_ += blocked;
  if (!config_->Enforces() || allowed || EnvelopeAllowed()) return std::nullopt;
  if (blocked) {
    ++recipients_rejected_;
    return BlockRequest(kRecipient);
  }
  if (client_.block) return BlockRequest(kClient);
  if (helo_.block) return BlockRequest(kHelo);
  if (sender_.block) return BlockRequest(kSender);
  return std::nullopt;
}

void ListsInstance::OnHeader(const TransactionInfo&, std::string_view name,
                             std::string_view value) {
  if (name.size() != 4 || ToLower(name) != "from") return;
  if (++from_headers_ > 1) from_.ambiguous = true;
  if (from_headers_ > kMaxFromHeaders) return;
  FromDomains parsed = ParseFromDomains(value);
  from_.ambiguous = from_.ambiguous || parsed.ambiguous;
  for (std::string& domain : parsed.domains) {
    if (from_.domains.size() < kMaxFromAddresses) from_.domains.push_back(std::move(domain));
  }
}

CheckResult ListsInstance::Finish(const TransactionInfo&, Deadline) {
  const ListsConfig& config = *config_;
  // Security: the From allow needs every author domain allowed and an
  // unambiguous header, or a spoofer would add an allowed address; a block
  // needs only one blocked domain.
  Hits from;
  from.allow = !from_.ambiguous && !from_.domains.empty();
  for (const std::string& domain : from_.domains) {
    from.allow = from.allow && config.allow[kFromDomain].MatchesDomain(domain);
    from.block = from.block || config.block[kFromDomain].MatchesDomain(domain);
  }
  if (from.hit()) {
    std::string domains;
    for (const std::string& domain : from_.domains) {
      if (!domains.empty()) domains += ',';
      domains += domain;
    }
    from.detail = Detail(domains);
  }
  Hits recipient;
  recipient.allow = recipients_allowed_ > 0;
  recipient.block = recipients_blocked_ > 0;

  const Hits* hits[kKeyCount] = {&client_, &helo_, &sender_, &recipient, &from};
  CheckResult result;
  bool any_allow = false;
  bool any_block = false;
  std::optional<ListKey> first_allow;
  std::optional<ListKey> first_block;  // a block that still concerns this message
  for (int i = 0; i < kKeyCount; ++i) {
    const auto key = static_cast<ListKey>(i);
    const Hits& hit = *hits[key];
    if (hit.allow) {
      any_allow = true;
      if (!first_allow) first_allow = key;
      std::string detail =
          key == kRecipient ? std::to_string(recipients_allowed_) + " recipient(s)" : hit.detail;
      result.symbols.push_back({AllowSymbol(key), config.allow_score[key], detail});
    }
    if (hit.block) {
      any_block = true;
      double score = config.block_score[key];
      std::string detail = hit.detail;
      bool concerns_message = true;
      if (key == kRecipient) {
        detail = std::to_string(recipients_blocked_) + " recipient(s)";
        // Recipients rejected at RCPT TO are not part of this message any
        // more; their block must not weigh on the others' copy.
        if (recipients_rejected_ == recipients_blocked_) {
          score = 0;
          concerns_message = false;
          detail += " rejected at RCPT TO";
        }
      }
      if (concerns_message && !first_block) first_block = key;
      result.symbols.push_back({BlockSymbol(key), score, detail});
    }
  }
  result.status =
      any_allow ? CheckStatus::kPass : (any_block ? CheckStatus::kFail : CheckStatus::kNone);
  if (any_allow) {
    if (config.allow_accepts) {
      ActionRequest accept;
      accept.action = Action::kAccept;
      accept.reason = AllowSymbol(*first_allow);
      result.request = accept;
    }
  } else if (first_block && config.block_action != BlockAction::kScore) {
    // Client, HELO and sender blocks without any allow have rejected every
    // recipient already in the enforcing modes; repeating the request here
    // only matters if the pipeline gets here anyway.
    result.request = BlockRequest(*first_block);
  }
  return result;
}

}  // namespace portcullis::lists
