// The client address lists: "is this address covered by any entry?" for
// IPv4 and IPv6 single addresses and CIDR ranges, one structure per family.
//
// Structure: every entry becomes an inclusive integer range [first, last];
// Build() sorts them and merges overlapping and adjacent ranges, so lookup is
// one binary search (O(log n)). We chose this over a binary prefix trie
// because the lists only ask "covered or not" (no longest-prefix data to
// return): a bit-per-level trie needs up to 32 (IPv4) or 128 (IPv6) nodes for
// a sparse /32 or /128 entry, ~100 MB for a million random /32s, while merged
// ranges cost 8 bytes (IPv4) or 32 bytes (IPv6) per range, and a /8 and the
// million /32s inside it collapse to one range.
//
// Lifetime: built single-threaded by the lists factory (Add, then Build once);
// afterwards immutable and safe to read from any number of threads.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "portcullis/ip_address.h"

namespace portcullis::lists {

// An IPv6 address as a 128-bit unsigned number, ordered numerically.
struct Uint128 {
  uint64_t high = 0;
  uint64_t low = 0;
  auto operator<=>(const Uint128&) const = default;
};

template <typename Key>
struct IpRange {
  Key first{};
  Key last{};
};

class IpRangeSet {
 public:
  // `network` must have no host bits set beyond its prefix (the entry parser
  // refuses such entries); the range starts at its address.
  void Add(const IpNetwork& network);
  // Sorts and merges; call once after the last Add and before Contains.
  void Build();
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is looked up as IPv4 (and
  // as IPv6): the MTA reports dual-stack sockets that way, and operators list
  // IPv4 clients in IPv4 notation. Mapped entries are stored as IPv4.
  bool Contains(const IpAddress& address) const;

  bool empty() const { return v4_.empty() && v6_.empty(); }
  // Ranges after merging, per family (for tests and measurements).
  size_t v4_ranges() const { return v4_.size(); }
  size_t v6_ranges() const { return v6_.size(); }
  size_t MemoryBytes() const;

 private:
  std::vector<IpRange<uint32_t>> v4_;
  std::vector<IpRange<Uint128>> v6_;
};

}  // namespace portcullis::lists
