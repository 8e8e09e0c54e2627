#include "uribl_lookups.h"

#include <algorithm>

namespace portcullis::uribl {
namespace {

// Runs on the resolver's loop thread (or inline, for a cached answer):
// classify, count, hand over. Short and lock-free but for the AsyncResult.
void Deliver(const UriblShared& shared, size_t list, const dns::AnswerPtr& dns_answer,
             AsyncResult<dnsbl::ListAnswer>& answer) {
  dnsbl::ListAnswer classified;
  if (dns_answer) {
    classified = dnsbl::Classify(shared.config->lists[list].rules, *dns_answer);
  } else {
    classified.kind = dnsbl::ListAnswer::Kind::kTempError;
    classified.error = "no answer";
  }
  if (shared.metrics) shared.metrics->Count(list, classified.kind);
  answer.Set(std::move(classified));
}

}  // namespace

void LookupSet::Start(size_t list, const Subject& subject, Identity identity, std::string query) {
  auto answer = MakeAsyncResult<dnsbl::ListAnswer>();
  lookups_.push_back({list, subject.name, identity, query, answer});
  // The callback holds `shared`, so config and metrics outlive a reload.
  std::shared_ptr<const UriblShared> shared = shared_;
  shared->resolver->Lookup(
      query, dns::RecordType::kA, Deadline::After(shared->config->timeout),
      [shared, list, answer](const dns::AnswerPtr& a) { Deliver(*shared, list, a, *answer); });
}

void LookupSet::Ask(const Subject& subject, Identity identity) {
  if (!shared_->resolver) return;
  const UriblConfig& config = *shared_->config;
  // Excluded domains cost nothing, not even budget.
  if (!subject.ip && config.Excluded(subject.name)) return;

  struct Pending {
    size_t list;
    std::string query;
  };
  std::vector<Pending> pending;
  for (size_t i = 0; i < config.lists.size(); ++i) {
    const UriblList& list = config.lists[i];
    if (!(list.identities & identity)) continue;
    auto same = std::find_if(lookups_.begin(), lookups_.end(), [&](const Lookup& lookup) {
      return lookup.list == i && lookup.subject == subject.name;
    });
    if (same != lookups_.end()) {  // asked already: one query per list per message
      same->identities |= identity;
      continue;
    }
    if (std::optional<std::string> query = QueryName(list, subject)) {
      pending.push_back({i, std::move(*query)});
    }
  }
  if (pending.empty()) return;
  if (lookups_.size() + pending.size() > static_cast<size_t>(config.max_lookups)) {
    ++skipped_;
    return;
  }
  for (Pending& item : pending) Start(item.list, subject, identity, std::move(item.query));
}

}  // namespace portcullis::uribl
