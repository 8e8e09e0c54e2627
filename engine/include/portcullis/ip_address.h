// An IPv4 or IPv6 address as 16 bytes, parsed from text without DNS.
//
// Value type, freely copied; all functions are pure and thread-safe.
// IPv4 addresses are kept apart from IPv4-mapped IPv6 ones on purpose: the
// MTA tells us the family, and lists are written per family.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portcullis {

class IpAddress {
 public:
  enum class Family { kV4, kV6 };

  static std::optional<IpAddress> Parse(std::string_view text);
  static IpAddress FromV4(const std::array<uint8_t, 4>& bytes);
  static IpAddress FromV6(const std::array<uint8_t, 16>& bytes);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::kV4; }
  // Number of meaningful bits: 32 or 128.
  int bit_length() const { return is_v4() ? 32 : 128; }
  // Bit `i` counted from the most significant bit of the address.
  bool bit(int i) const { return (bytes_[i / 8] >> (7 - i % 8)) & 1; }
  const uint8_t* bytes() const { return bytes_.data(); }
  std::string ToString() const;
  // If this is an IPv4-mapped IPv6 address (::ffff:a.b.c.d), the IPv4 one.
  std::optional<IpAddress> UnmapV4() const;

  bool operator==(const IpAddress&) const = default;

 private:
  Family family_ = Family::kV4;
  std::array<uint8_t, 16> bytes_{};  // IPv4 uses the first 4
};

// An address range "a.b.c.d/len" or "x::/len"; a bare address is a /32 or /128.
struct IpNetwork {
  IpAddress address;
  int prefix_length = 0;
  static std::optional<IpNetwork> Parse(std::string_view text);
  bool Contains(const IpAddress& ip) const;
};

}  // namespace portcullis
