// The resolver's answer cache, keyed by (normalised name, type), honouring
// TTLs, bounded in entries with least-recently-used eviction.
//
// Lifetimes come from CacheLifetime(): the answer's TTL clamped to the
// operator's [cache_min_ttl, cache_max_ttl], negative answers (NXDOMAIN and
// NODATA, each cached under its own (name, type)) first capped by
// negative_max_ttl. Temporary and permanent errors are never stored. Hits
// hand out the answer with its ttl reduced by the entry's age; the copy that
// carries the reduced ttl is made at most once a second per entry, so a hit
// is one hash lookup, a list splice and a shared_ptr copy.
//
// Thread-safe: lookups come inline from milter threads and inserts from the
// resolver's loop thread. The store is split into shards, each behind its own
// mutex, so that threads hitting different names rarely meet on a lock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "portcullis/dns.h"

namespace portcullis::dns {

struct CachePolicy {
  size_t max_entries = 100000;  // 0 disables the cache
  uint32_t min_ttl = 0;
  uint32_t max_ttl = 86400;
  uint32_t negative_max_ttl = 3600;
};

// Seconds the cache keeps `answer`: 0 (not cached) for errors, else its ttl
// (negative: at most negative_max_ttl) clamped to [min_ttl, max_ttl].
uint32_t CacheLifetime(const Answer& answer, const CachePolicy& policy);

class DnsCache {
 public:
  using Clock = std::chrono::steady_clock;

  explicit DnsCache(const CachePolicy& policy);
  DnsCache(const DnsCache&) = delete;
  DnsCache& operator=(const DnsCache&) = delete;

  bool enabled() const { return max_entries_ > 0; }

  // The cached answer with ttl = seconds left, or nullptr (absent, expired).
  AnswerPtr Find(std::string_view name, RecordType type, Clock::time_point now);

  // Stores `answer` for `lifetime` seconds from `now` (answer->ttl should
  // equal `lifetime`); replaces an existing entry; evicts the least recently
  // used entry of a full shard. A lifetime of 0 stores nothing.
  void Insert(std::string_view name, RecordType type, AnswerPtr answer, uint32_t lifetime,
              Clock::time_point now);

  size_t size() const;

 private:
  struct Entry {
    std::string name;
    RecordType type;
    Clock::time_point stored;
    Clock::time_point expires;
    uint32_t lifetime = 0;
    AnswerPtr answer;  // ttl = lifetime minus whole seconds of age when stamped
  };
  // Points into the Entry's own name, so a lookup needs no key string. The
  // hash is computed once per call and serves both the shard choice and the
  // shard's map.
  struct Key {
    Key(std::string_view key_name, RecordType key_type);
    std::string_view name;
    RecordType type;
    size_t hash;
    bool operator==(const Key& other) const {
      return hash == other.hash && type == other.type && name == other.name;
    }
  };
  struct KeyHash {
    size_t operator()(const Key& key) const { return key.hash; }
  };
  // Cache-line aligned: shards locked by different threads must not share
  // a line.
  struct alignas(64) Shard {
    std::mutex mutex;
    std::list<Entry> lru;  // most recently used first
    std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index;
  };

  Shard& ShardFor(size_t hash);

  size_t max_entries_;
  size_t shard_capacity_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace portcullis::dns
