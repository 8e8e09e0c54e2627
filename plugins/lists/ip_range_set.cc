#include "ip_range_set.h"

#include <algorithm>
#include <limits>

namespace portcullis::lists {
namespace {

uint32_t V4Number(const IpAddress& address) {
  const uint8_t* b = address.bytes();
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

Uint128 V6Number(const IpAddress& address) {
  const uint8_t* b = address.bytes();
  Uint128 value;
  for (int i = 0; i < 8; ++i) value.high = (value.high << 8) | b[i];
  for (int i = 8; i < 16; ++i) value.low = (value.low << 8) | b[i];
  return value;
}

// The last address of a range: `first` with the `host_bits` low bits set.
uint32_t V4Last(uint32_t first, int host_bits) {
  if (host_bits >= 32) return std::numeric_limits<uint32_t>::max();
  return first | ((uint32_t{1} << host_bits) - 1);
}

Uint128 V6Last(Uint128 first, int host_bits) {
  constexpr uint64_t kAll = std::numeric_limits<uint64_t>::max();
  if (host_bits >= 128) return {kAll, kAll};
  if (host_bits >= 64) {
    int high_bits = host_bits - 64;
    uint64_t high_mask = high_bits == 0 ? 0 : (uint64_t{1} << high_bits) - 1;
    return {first.high | high_mask, kAll};
  }
  uint64_t low_mask = host_bits == 0 ? 0 : (uint64_t{1} << host_bits) - 1;
  return {first.high, first.low | low_mask};
}

bool IsMaxValue(uint32_t value) { return value == std::numeric_limits<uint32_t>::max(); }
bool IsMaxValue(const Uint128& value) {
  constexpr uint64_t kAll = std::numeric_limits<uint64_t>::max();
  return value.high == kAll && value.low == kAll;
}
uint32_t Next(uint32_t value) { return value + 1; }
Uint128 Next(Uint128 value) {
  if (++value.low == 0) ++value.high;
  return value;
}

// Sorts by start and merges ranges that overlap or touch, in place.
template <typename Key>
void SortAndMerge(std::vector<IpRange<Key>>& ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const IpRange<Key>& a, const IpRange<Key>& b) { return a.first < b.first; });
  size_t out = 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (out > 0) {
      IpRange<Key>& last = ranges[out - 1];
      // Adjacent when `last.last + 1 == first`; guard the overflow at the top.
      if (IsMaxValue(last.last) || ranges[i].first <= Next(last.last)) {
        if (last.last < ranges[i].last) last.last = ranges[i].last;
        continue;
      }
    }
    ranges[out++] = ranges[i];
  }
  ranges.resize(out);
  ranges.shrink_to_fit();
}

template <typename Key>
bool Covered(const std::vector<IpRange<Key>>& ranges, const Key& key) {
  // The last range starting at or before `key` is the only candidate,
  // because merged ranges are disjoint.
  auto it = std::upper_bound(ranges.begin(), ranges.end(), key,
                             [](const Key& k, const IpRange<Key>& r) { return k < r.first; });
  if (it == ranges.begin()) return false;
  return !(std::prev(it)->last < key);
}

}  // namespace

void IpRangeSet::Add(const IpNetwork& entry) {
  IpNetwork network = entry;
  // An entry inside ::ffff:0:0/96 is an IPv4 range written in mapped form;
  // store it as IPv4 so that it matches IPv4 clients too.
  if (auto v4 = network.address.UnmapV4(); v4 && network.prefix_length >= 96) {
    network = IpNetwork{*v4, network.prefix_length - 96};
  }
  const int host_bits = network.address.bit_length() - network.prefix_length;
  if (network.address.is_v4()) {
    uint32_t first = V4Number(network.address);
    v4_.push_back({first, V4Last(first, host_bits)});
  } else {
    Uint128 first = V6Number(network.address);
    v6_.push_back({first, V6Last(first, host_bits)});
  }
}

void IpRangeSet::Build() {
  SortAndMerge(v4_);
  SortAndMerge(v6_);
}

bool IpRangeSet::Contains(const IpAddress& address) const {
  if (address.is_v4()) return Covered(v4_, V4Number(address));
  if (auto v4 = address.UnmapV4(); v4 && Covered(v4_, V4Number(*v4))) return true;
  return Covered(v6_, V6Number(address));
}

size_t IpRangeSet::MemoryBytes() const {
  return v4_.capacity() * sizeof(v4_[0]) + v6_.capacity() * sizeof(v6_[0]);
}

}  // namespace portcullis::lists
