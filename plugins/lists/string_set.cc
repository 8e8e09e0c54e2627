#include "string_set.h"

#include <functional>

namespace portcullis::lists {
namespace {

constexpr size_t kInitialSlots = 16;

uint16_t TagOf(uint64_t hash) { return static_cast<uint16_t>(hash >> 48); }

uint64_t HashOf(std::string_view text) {
  uint64_t hash = std::hash<std::string_view>{}(text);
  // std::hash may be weak in the low bits on some libraries; mix once so the
  // mask below sees well-spread bits (splitmix64 finaliser).
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return hash;
}

}  // namespace

size_t StringSet::Probe(std::string_view text, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  const uint16_t tag = TagOf(hash);
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.length == 0) return i;
    if (slot.tag == tag && slot.length == text.size() &&
        std::string_view(arena_.data() + slot.offset, slot.length) == text) {
      return i;
    }
  }
}

StringSet::InsertResult StringSet::Insert(std::string_view text) {
  if (text.empty() || text.size() > kMaxStringBytes ||
      arena_.size() + text.size() > kMaxArenaBytes) {
    return InsertResult::kTooLarge;
  }
  // Keep the load factor at or below 0.7 so linear probes stay short.
  if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
  const uint64_t hash = HashOf(text);
  Slot& slot = slots_[Probe(text, hash)];
  if (slot.length != 0) return InsertResult::kDuplicate;
  slot.offset = static_cast<uint32_t>(arena_.size());
  slot.length = static_cast<uint16_t>(text.size());
  slot.tag = TagOf(hash);
  arena_.append(text);
  ++size_;
  return InsertResult::kAdded;
}

bool StringSet::Contains(std::string_view text) const {
  if (size_ == 0 || text.empty() || text.size() > kMaxStringBytes) return false;
  return slots_[Probe(text, HashOf(text))].length != 0;
}

void StringSet::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? kInitialSlots : old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.length == 0) continue;
    std::string_view text(arena_.data() + slot.offset, slot.length);
    size_t i = HashOf(text) & mask;
    while (slots_[i].length != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

size_t StringSet::MemoryBytes() const {
  return arena_.capacity() + slots_.capacity() * sizeof(Slot);
}

}  // namespace portcullis::lists
