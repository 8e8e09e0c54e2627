#include "spf_record_cache.h"

namespace portcullis::spf {

std::shared_ptr<const ParsedRecord> RecordCache::Get(std::string_view text) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(text);
    if (it != entries_.end()) {
      ++hits_;
      return it->second.parsed;
    }
    ++misses_;
  }
  // Parse outside the lock: parsing is the slow part and is pure.
  auto parsed = std::make_shared<const ParsedRecord>(ParseRecord(text));
  if (text.size() > kRecordCacheMaxRecordBytes || max_entries_ == 0) return parsed;
  const size_t bytes = 2 * text.size() + (parsed->record ? parsed->record->MemoryBytes() : 64);

  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = entries_.try_emplace(std::string(text), Entry{parsed, bytes});
  if (!inserted) return it->second.parsed;  // another thread parsed it meanwhile
  order_.push_back(it->first);
  bytes_ += bytes;
  while (!order_.empty() && (entries_.size() > max_entries_ || bytes_ > max_bytes_)) {
    auto oldest = entries_.find(order_.front());
    bytes_ -= oldest->second.bytes;
    entries_.erase(oldest);
    order_.pop_front();
  }
  return parsed;
}

size_t RecordCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

size_t RecordCache::hits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return hits_;
}

size_t RecordCache::misses() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return misses_;
}

}  // namespace portcullis::spf
