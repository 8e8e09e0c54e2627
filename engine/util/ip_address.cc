#include "portcullis/ip_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace portcullis {

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  // inet_pton needs a NUL-terminated string; addresses are short, so a
  // bounded local copy avoids an allocation on the hot path.
  char buffer[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof(buffer)) return std::nullopt;
  // The MTA may bracket IPv6 literals or prefix them with "IPv6:".
  if (text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.size() > 5 && strncasecmp(text.data(), "IPv6:", 5) == 0) text.remove_prefix(5);
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  IpAddress ip;
  if (inet_pton(AF_INET, buffer, ip.bytes_.data()) == 1) {
    ip.family_ = Family::kV4;
    return ip;
  }
  if (inet_pton(AF_INET6, buffer, ip.bytes_.data()) == 1) {
    ip.family_ = Family::kV6;
    return ip;
  }
  return std::nullopt;
}

IpAddress IpAddress::FromV4(const std::array<uint8_t, 4>& bytes) {
  IpAddress ip;
  ip.family_ = Family::kV4;
  std::memcpy(ip.bytes_.data(), bytes.data(), 4);
  return ip;
}

IpAddress IpAddress::FromV6(const std::array<uint8_t, 16>& bytes) {
  IpAddress ip;
  ip.family_ = Family::kV6;
  ip.bytes_ = bytes;
  return ip;
}

std::string IpAddress::ToString() const {
  char buffer[INET6_ADDRSTRLEN];
  inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), buffer, sizeof(buffer));
  return buffer;
}

std::optional<IpAddress> IpAddress::UnmapV4() const {
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (is_v4() || std::memcmp(bytes_.data(), kMappedPrefix, 12) != 0) return std::nullopt;
  return FromV4({bytes_[12], bytes_[13], bytes_[14], bytes_[15]});
}

std::optional<IpNetwork> IpNetwork::Parse(std::string_view text) {
  auto slash = text.find('/');
  auto address = IpAddress::Parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  IpNetwork network{*address, address->bit_length()};
  if (slash == std::string_view::npos) return network;
  auto length_text = text.substr(slash + 1);
  int length = -1;
  auto [end, error] = std::from_chars(length_text.data(),
                                      length_text.data() + length_text.size(), length);
  if (error != std::errc() || end != length_text.data() + length_text.size() ||
      length < 0 || length > address->bit_length()) {
    return std::nullopt;
  }
  network.prefix_length = length;
  return network;
}

bool IpNetwork::Contains(const IpAddress& ip) const {
  if (ip.family() != address.family()) return false;
  for (int i = 0; i < prefix_length; ++i) {
    if (ip.bit(i) != address.bit(i)) return false;
  }
  return true;
}

}  // namespace portcullis
