// A compact, immutable-after-build hash set of short strings (domains,
// addresses) for the local lists.
//
// Why not std::unordered_set<std::string>: at a million entries that costs
// about 100 bytes an entry (node, cached hash, heap string past the small
// string buffer). Here every string lives once in one arena and the table is
// open addressing with 8-byte slots, about 2 slots an entry: roughly
// length + 16 bytes an entry. Lookups are one hash and a short linear probe.
//
// Built single-threaded by the lists factory; after Shrink() it is only read,
// and concurrent Contains() calls from any number of threads are safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::lists {

class StringSet {
 public:
  // Strings are list entries already checked against the entry syntax
  // (a domain is at most 255 bytes, an address at most 64 + 1 + 255), so a
  // 16-bit length is plenty; longer strings are refused.
  static constexpr size_t kMaxStringBytes = UINT16_MAX;
  // Slot offsets are 32-bit: 4 GiB of entry text, far past any sane list.
  static constexpr size_t kMaxArenaBytes = UINT32_MAX;

  enum class InsertResult { kAdded, kDuplicate, kTooLarge };

  InsertResult Insert(std::string_view text);
  bool Contains(std::string_view text) const;
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Releases the arena's spare capacity once building is done.
  void Shrink() { arena_.shrink_to_fit(); }
  // Heap bytes held, for the build measurements.
  size_t MemoryBytes() const;

 private:
  struct Slot {
    uint32_t offset = 0;
    uint16_t length = 0;  // 0: empty slot (the empty string is never stored)
    uint16_t tag = 0;     // high hash bits, to skip most string compares
  };

  void Grow();
  // The slot holding `text`, or the empty slot where it would go.
  size_t Probe(std::string_view text, uint64_t hash) const;

  std::string arena_;
  std::vector<Slot> slots_;  // size is zero or a power of two
  size_t size_ = 0;
};

}  // namespace portcullis::lists
