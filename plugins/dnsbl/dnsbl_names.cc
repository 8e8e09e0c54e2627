#include "dnsbl_names.h"

#include <array>

#include "portcullis/dns.h"
#include "portcullis/transaction_info.h"

namespace portcullis::dnsbl {
namespace {

bool IsLabelChar(char c) {
  // '_' appears in real host names (service labels, some PTR-derived
  // names); it is harmless in a query.
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Lower-cased `text` without one trailing dot if every label is plain;
// `labels` gets the label count and `numeric_tld` whether the last label is
// all digits.
std::optional<std::string> PlainName(std::string_view text, int* labels, bool* numeric_tld) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > kMaxNameLength) return std::nullopt;
  std::string name = ToLower(text);
  *labels = 0;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('.', start);
    if (end == std::string::npos) end = name.size();
    const size_t length = end - start;
    if (length == 0 || length > kMaxLabelLength) return std::nullopt;
    bool digits = true;
    for (size_t i = start; i < end; ++i) {
      if (!IsLabelChar(name[i])) return std::nullopt;
      digits = digits && name[i] >= '0' && name[i] <= '9';
    }
    // RFC 952/1123: a label neither starts nor ends with a hyphen.
    if (name[start] == '-' || name[end - 1] == '-') return std::nullopt;
    ++*labels;
    *numeric_tld = digits;
    start = end + 1;
  }
  return name;
}

}  // namespace

std::optional<std::string> NormaliseDomain(std::string_view text) {
  if (IpAddress::Parse(text)) return std::nullopt;
  int labels = 0;
  bool numeric_tld = false;
  std::optional<std::string> name = PlainName(text, &labels, &numeric_tld);
  if (!name || labels < 2 || numeric_tld) return std::nullopt;
  return name;
}

std::optional<std::string> NormaliseZone(std::string_view text) {
  if (IpAddress::Parse(text)) return std::nullopt;
  int labels = 0;
  bool numeric_tld = false;
  std::optional<std::string> name = PlainName(text, &labels, &numeric_tld);
  if (!name || numeric_tld) return std::nullopt;
  return name;
}

std::optional<std::string> HeloDomain(std::string_view helo) {
  if (!helo.empty() && helo.front() == '[') return std::nullopt;  // RFC 5321 4.1.3 literal
  return NormaliseDomain(helo);
}

std::optional<std::string> DomainQueryName(std::string_view domain, std::string_view zone) {
  if (domain.size() + 1 + zone.size() > kMaxNameLength) return std::nullopt;
  std::string name(domain);
  name += '.';
  name += zone;
  return name;
}

IpAddress QueryAddress(const IpAddress& client) {
  if (std::optional<IpAddress> v4 = client.UnmapV4()) return *v4;
  return client;
}

std::string IpQueryName(const IpAddress& client, std::string_view zone) {
  std::string name = dns::ReverseName(QueryAddress(client));
  name += '.';
  name += zone;
  return name;
}

bool IsPrivateAddress(const IpAddress& address) {
  static const std::array<IpNetwork, 13> kPrivate = [] {
    const char* texts[] = {
        "0.0.0.0/8",       // RFC 1122 3.2.1.3 "this network"
        "10.0.0.0/8",      // RFC 1918
        "100.64.0.0/10",   // RFC 6598 shared address space (CGNAT)
        "127.0.0.0/8",     // loopback
        "169.254.0.0/16",  // RFC 3927 link-local
        "172.16.0.0/12",   // RFC 1918
        "192.168.0.0/16",  // RFC 1918
        "::/128",          // unspecified
        "::1/128",         // loopback
        "fc00::/7",        // RFC 4193 unique local
        "fe80::/10",       // link-local
        "fec0::/10",       // deprecated site-local (RFC 3879)
        "64:ff9b:1::/48",  // RFC 8215 local-use NAT64
    };
    std::array<IpNetwork, 13> networks{};
    for (size_t i = 0; i < networks.size(); ++i) networks[i] = *IpNetwork::Parse(texts[i]);
    return networks;
  }();
  const IpAddress query = QueryAddress(address);
  for (const IpNetwork& network : kPrivate) {
    if (network.Contains(query)) return true;
  }
  return false;
}

}  // namespace portcullis::dnsbl
