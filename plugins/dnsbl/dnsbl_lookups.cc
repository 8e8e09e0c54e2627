#include "dnsbl_lookups.h"

#include <algorithm>

#include "dnsbl_names.h"

namespace portcullis::dnsbl {

namespace {

// Runs on the resolver's loop thread (or inline, for a cached answer):
// classify, count, hand over. Short and lock-free but for the AsyncResult.
void Deliver(const DnsblShared& shared, size_t list, const dns::AnswerPtr& dns_answer,
             AsyncResult<ListAnswer>& answer) {
  ListAnswer classified;
  if (dns_answer) {
    classified = Classify(shared.config->lists[list], *dns_answer);
  } else {
    classified.kind = ListAnswer::Kind::kTempError;
    classified.error = "no answer";
  }
  if (shared.metrics) shared.metrics->Count(list, classified.kind);
  answer.Set(std::move(classified));
}

}  // namespace

void LookupSet::Start(size_t list, std::string domain, uint8_t identities, std::string query) {
  auto answer = MakeAsyncResult<ListAnswer>();
  lookups_.push_back({list, std::move(domain), identities, query, answer});
  // The callback holds `shared`, so config and metrics outlive a reload.
  std::shared_ptr<const DnsblShared> shared = shared_;
  shared->resolver->Lookup(
      query, dns::RecordType::kA, Deadline::After(shared->config->timeout),
      [shared, list, answer](const dns::AnswerPtr& a) { Deliver(*shared, list, a, *answer); });
}

void LookupSet::StartIp(const IpAddress& client) {
  if (!shared_->resolver) return;
  const IpAddress address = QueryAddress(client);
  const std::vector<DnsblList>& lists = shared_->config->lists;
  for (size_t i = 0; i < lists.size(); ++i) {
    if (lists[i].type != ListType::kIp) continue;
    if (!address.is_v4() && !lists[i].ipv6) continue;
    Start(i, "", 0, IpQueryName(address, lists[i].zone));
  }
}

void LookupSet::StartDomain(Identity identity, const std::string& domain) {
  if (!shared_->resolver) return;
  const std::vector<DnsblList>& lists = shared_->config->lists;
  for (size_t i = 0; i < lists.size(); ++i) {
    if (lists[i].type != ListType::kDomain || !(lists[i].identities & identity)) continue;
    auto same = std::find_if(lookups_.begin(), lookups_.end(), [&](const Lookup& lookup) {
      return lookup.list == i && lookup.domain == domain;
    });
    if (same != lookups_.end()) {
      same->identities |= identity;
      continue;
    }
    // RFC 5782 2.2: the domain itself, under the zone. Too long → not asked.
    if (std::optional<std::string> query = DomainQueryName(domain, lists[i].zone)) {
      Start(i, domain, identity, std::move(*query));
    }
  }
}

void LookupSet::Drop(Identity identity) {
  for (Lookup& lookup : lookups_) lookup.identities &= static_cast<uint8_t>(~identity);
  std::erase_if(lookups_, [](const Lookup& lookup) {
    return !lookup.domain.empty() && lookup.identities == 0;
  });
}

}  // namespace portcullis::dnsbl
