#include "dnsbl_instance.h"

#include "portcullis/from_header.h"

#include "dnsbl_names.h"
#include "dnsbl_result.h"

namespace portcullis::dnsbl {
namespace {

// Whether a lookup's answer can be known before DATA: IP lists and domain
// lists for the sender or HELO are; the From header comes only with DATA.
bool KnownBeforeData(const DnsblList& list, const Lookup& lookup) {
  return list.type != ListType::kDomain || (lookup.identities & (kSender | kHelo));
}

}  // namespace

bool DnsblInstance::Skipped(const TransactionInfo& info) const {
  return shared_->config->skip_authenticated && !info.message.auth_authen.empty();
}

std::optional<ActionRequest> DnsblInstance::OnConnect(const TransactionInfo& info) {
  if (connected_) return std::nullopt;  // defensive: one connect per instance
  connected_ = true;
  const std::optional<IpAddress>& client = info.connection.client_addr;
  if (!client) return std::nullopt;  // unix socket or local submission
  if (shared_->config->skip_private && IsPrivateAddress(*client)) return std::nullopt;
  lookups_.StartIp(*client);
  return std::nullopt;
}

std::optional<ActionRequest> DnsblInstance::OnHelo(const TransactionInfo& info) {
  // A client may say EHLO again (after STARTTLS, or just because): the last wins.
  lookups_.Drop(kHelo);
  if (std::optional<std::string> domain = HeloDomain(info.connection.helo)) {
    lookups_.StartDomain(kHelo, *domain);
  }
  return std::nullopt;
}

std::optional<ActionRequest> DnsblInstance::OnMailFrom(const TransactionInfo& info) {
  lookups_.Drop(kSender);
  if (Skipped(info)) return std::nullopt;
  const std::string& sender = info.message.mail_from;
  if (sender.empty()) return std::nullopt;  // null sender <>: bounces have no domain
  if (std::optional<std::string> domain = NormaliseDomain(AddressDomain(sender))) {
    lookups_.StartDomain(kSender, *domain);
  }
  return std::nullopt;
}

std::optional<ActionRequest> DnsblInstance::OnRcpt(const TransactionInfo& info, std::string_view) {
  if (Skipped(info)) return std::nullopt;
  if (!rcpt_deadline_) rcpt_deadline_ = Deadline::After(shared_->config->rcpt_wait);
  for (const Lookup& lookup : lookups_.lookups()) {
    const DnsblList& list = shared_->config->lists[lookup.list];
    if (!list.Rejects()) continue;
    if (!KnownBeforeData(list, lookup)) continue;
    // Not past the shared deadline; an expired one returns at once.
    std::optional<ListAnswer> answer = lookup.answer->WaitUntil(*rcpt_deadline_);
    if (answer && answer->kind == ListAnswer::Kind::kListed && answer->Hit()) {
      return RejectRequest(list, *answer);
    }
  }
  return std::nullopt;  // unknown by now: accepted, and scored at end of message
}

void DnsblInstance::OnEndOfHeaders(const TransactionInfo& info) {
  lookups_.Drop(kFrom);
  if (Skipped(info)) return;
  // RFC 5322 3.6: From occurs once; a second one is not read.
  const HeaderField* from = info.message.FindHeader("From");
  if (!from) return;
  // RFC 5322 From normally names one author; a few more covers mailing-list
  // oddities while bounding the queries one header can cause.
  constexpr size_t kMaxFromDomains = 4;
  size_t started = 0;
  for (const std::string& text : ParseFromDomains(from->value).domains) {
    if (started == kMaxFromDomains) break;
    if (std::optional<std::string> domain = NormaliseDomain(text)) {
      lookups_.StartDomain(kFrom, *domain);
      ++started;
    }
  }
}

std::optional<CheckResult> DnsblInstance::EarlyResult(const TransactionInfo& info,
                                                     Deadline deadline) {
  if (Skipped(info)) return std::nullopt;
  std::vector<Retrieved> retrieved;
  bool outstanding = false;
  for (const Lookup& lookup : lookups_.lookups()) {
    if (!KnownBeforeData(shared_->config->lists[lookup.list], lookup)) continue;
    std::optional<ListAnswer> answer = lookup.answer->WaitUntil(deadline);
    if (!answer) {
      outstanding = true;
      continue;  // left out rather than counted as an error: Finish() decides that
    }
    retrieved.push_back({&lookup, std::move(answer)});
  }
  if (retrieved.empty() && outstanding) return std::nullopt;
  return BuildDnsblResult(*shared_->config, retrieved);
}

CheckResult DnsblInstance::Finish(const TransactionInfo& info, Deadline deadline) {
  if (Skipped(info)) return CheckResult{};  // authenticated: nothing to say
  std::vector<Retrieved> retrieved;
  retrieved.reserve(lookups_.lookups().size());
  for (const Lookup& lookup : lookups_.lookups()) {
    // Every wait ends at the same deadline, so the total is bounded by it.
    retrieved.push_back({&lookup, lookup.answer->WaitUntil(deadline)});
  }
  return BuildDnsblResult(*shared_->config, retrieved);
}

}  // namespace portcullis::dnsbl
