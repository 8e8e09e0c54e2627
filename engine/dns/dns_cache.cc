#include "dns/dns_cache.h"

#include <algorithm>
#include <functional>

namespace portcullis::dns {
namespace {

// Below this many entries one shard (exact LRU over the whole cache, which
// small configurations and the tests expect); above, 16 shards, each with
// its own LRU and an equal part of the bound.
constexpr size_t kShardingThreshold = 4096;
constexpr size_t kShards = 16;

}  // namespace

uint32_t CacheLifetime(const Answer& answer, const CachePolicy& policy) {
  uint32_t ttl = answer.ttl;
  switch (answer.status) {
    case Status::kOk: break;
    case Status::kNxDomain:
    case Status::kNoData: ttl = std::min(ttl, policy.negative_max_ttl); break;
    case Status::kTempError:
    case Status::kPermError: return 0;
  }
  return std::clamp(ttl, std::min(policy.min_ttl, policy.max_ttl), policy.max_ttl);
}

DnsCache::Key::Key(std::string_view key_name, RecordType key_type)
    : name(key_name),
      type(key_type),
      hash(std::hash<std::string_view>()(key_name) ^
           (static_cast<size_t>(key_type) * 0x9e3779b97f4a7c15ull)) {}

DnsCache::DnsCache(const CachePolicy& policy) : max_entries_(policy.max_entries) {
  size_t shards = max_entries_ >= kShardingThreshold ? kShards : 1;
  // Rounded down: the bound is never exceeded.
  shard_capacity_ = std::max<size_t>(1, max_entries_ / shards);
  for (size_t i = 0; i < shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

DnsCache::Shard& DnsCache::ShardFor(size_t hash) {
  // The low bits pick the bucket inside the shard's map; use high ones here.
  return *shards_[(hash >> 56) % shards_.size()];
}

AnswerPtr DnsCache::Find(std::string_view name, RecordType type, Clock::time_point now) {
  if (!enabled()) return nullptr;
  Key key{name, type};
  Shard& shard = ShardFor(key.hash);
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto found = shard.index.find(key);
  if (found == shard.index.end()) return nullptr;
  auto entry = found->second;
  if (now >= entry->expires) {
    shard.index.erase(found);
    shard.lru.erase(entry);
    return nullptr;
  }
  auto age = std::chrono::duration_cast<std::chrono::seconds>(now - entry->stored).count();
  uint32_t left = entry->lifetime - static_cast<uint32_t>(std::min<int64_t>(age, entry->lifetime));
  if (entry->answer->ttl != left) {
    // Once a second per entry at most: a copy carrying the reduced ttl.
    auto restamped = std::make_shared<Answer>(*entry->answer);
    restamped->ttl = left;
    entry->answer = std::move(restamped);
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, entry);
  return entry->answer;
}

void DnsCache::Insert(std::string_view name, RecordType type, AnswerPtr answer, uint32_t lifetime,
                      Clock::time_point now) {
  if (!enabled() || lifetime == 0 || !answer) return;
  Key key{name, type};
  Shard& shard = ShardFor(key.hash);
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (auto found = shard.index.find(key); found != shard.index.end()) {
    auto entry = found->second;
    shard.index.erase(found);
    shard.lru.erase(entry);
  }
  while (shard.lru.size() >= shard_capacity_) {
    const Entry& victim = shard.lru.back();
    shard.index.erase(Key{victim.name, victim.type});
    shard.lru.pop_back();
  }
  shard.lru.push_front(Entry{std::string(name), type, now, now + std::chrono::seconds(lifetime),
                             lifetime, std::move(answer)});
  Entry& stored = shard.lru.front();
  shard.index.emplace(Key{stored.name, type}, shard.lru.begin());
}

size_t DnsCache::size() const {
  size_t total = 0;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mutex);
    total += shard->lru.size();
  }
  return total;
}

}  // namespace portcullis::dns
