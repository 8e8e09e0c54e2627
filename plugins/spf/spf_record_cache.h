// A bounded, thread-safe cache from SPF record text to its parsed form, so
// that warm evaluations (the resolver answering from its own cache) skip
// parsing. Syntax errors are cached too: a broken record stays broken.
//
// One cache per SPF Check (per config Snapshot), shared through shared_ptr
// by every evaluation; Find/Insert may be called from any thread (milter
// workers, the resolver's loop thread) concurrently.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "spf_record.h"

namespace portcullis::spf {

// Bounds: a busy gateway sees a few thousand distinct sender domains' record
// trees; records are usually < 512 bytes. Security: both an entry count and
// a byte bound, because a hostile domain can publish 64 KB records.
inline constexpr size_t kRecordCacheMaxEntries = 10000;
inline constexpr size_t kRecordCacheMaxBytes = 16 * 1024 * 1024;
// Records larger than this are parsed every time instead of evicting many
// ordinary entries.
inline constexpr size_t kRecordCacheMaxRecordBytes = 16 * 1024;

class RecordCache {
 public:
  explicit RecordCache(size_t max_entries = kRecordCacheMaxEntries,
                       size_t max_bytes = kRecordCacheMaxBytes)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  // The parsed record for `text` (which must start with "v=spf1"), parsed
  // now on a miss.
  std::shared_ptr<const ParsedRecord> Get(std::string_view text);

  size_t size() const;
  size_t hits() const;
  size_t misses() const;

 private:
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  struct Entry {
    std::shared_ptr<const ParsedRecord> parsed;
    size_t bytes = 0;
  };

  const size_t max_entries_;
  const size_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry, TextHash, std::equal_to<>> entries_;
  std::deque<std::string> order_;  // insertion order, oldest first (FIFO eviction)
  size_t bytes_ = 0;
  size_t hits_ = 0;
  size_t misses_ = 0;
};

}  // namespace portcullis::spf
