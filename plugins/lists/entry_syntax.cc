#include "entry_syntax.h"

#include <array>

#include "portcullis/transaction_info.h"

namespace portcullis::lists {
namespace {

// RFC 5321 4.5.3.1.3: a path is at most 256 octets; allow the brackets and
// some slack before we call an address garbage.
constexpr size_t kMaxLookupAddressLength = 512;

bool IsLabelChar(char c) {
  // Letters, digits, hyphen; underscore appears in real host names (SRV-like
  // labels, misconfigured hosts); bytes >= 0x80 are UTF-8 U-labels (SMTPUTF8).
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsAllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view StripTrailingDot(std::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  return text;
}

}  // namespace

std::string AddressLiteral(const IpAddress& address) { return "[" + address.ToString() + "]"; }

std::string NormalizeDomainEntry(std::string_view entry, std::string* out) {
  if (entry.starts_with("*.") || entry.starts_with(".")) {
    return "leading '*.' or '.' is not needed: 'example.org' matches its subdomains too, "
           "'@example.org' only the domain itself";
  }
  std::string domain = ToLower(StripTrailingDot(entry));
  if (domain.empty()) return "empty domain";
  if (domain.size() > kMaxDomainLength) return "domain longer than 253 characters";
  size_t label_start = 0;
  while (true) {
    size_t dot = domain.find('.', label_start);
    std::string_view label = std::string_view(domain).substr(
        label_start, dot == std::string::npos ? dot : dot - label_start);
    if (label.empty()) return "empty label";
    if (label.size() > kMaxLabelLength) return "label longer than 63 characters";
    for (char c : label) {
      if (!IsLabelChar(c)) return "invalid character in domain";
    }
    if (dot == std::string::npos) {
      // A numeric last label is no top-level domain: this is an IP address.
      if (IsAllDigits(label)) return "looks like an IP address, not a domain";
      break;
    }
    label_start = dot + 1;
  }
  *out = std::move(domain);
  return "";
}

std::string ParseClientEntry(std::string_view entry, IpNetwork* out) {
  auto network = IpNetwork::Parse(entry);
  if (!network) return "not an IP address or CIDR range";
  // Mask the address to its prefix and compare: any difference is host bits.
  IpNetwork masked = *network;
  std::array<uint8_t, 16> bytes{};
  const int length = network->address.bit_length();
  for (int i = 0; i < network->prefix_length; ++i) {
    if (network->address.bit(i)) bytes[i / 8] |= static_cast<uint8_t>(0x80u >> (i % 8));
  }
  masked.address = network->address.is_v4()
                       ? IpAddress::FromV4({bytes[0], bytes[1], bytes[2], bytes[3]})
                       : IpAddress::FromV6(bytes);
  if (!(masked.address == network->address)) {
    return "host bits set beyond the /" + std::to_string(network->prefix_length) +
           " prefix; did you mean " + masked.address.ToString() + "/" +
           std::to_string(network->prefix_length) + " or a /" + std::to_string(length) + "?";
  }
  *out = *network;
  return "";
}

std::string NormalizeNameEntry(EntryKind kind, std::string_view entry, std::string* out) {
  if (entry.empty()) return "empty entry";
  if (kind == EntryKind::kHelo && entry.front() == '[') {
    auto address = entry.back() == ']' ? IpAddress::Parse(entry) : std::nullopt;
    if (!address) return "not an address literal like [192.0.2.1] or [IPv6:2001:db8::1]";
    *out = AddressLiteral(*address);
    return "";
  }
  const size_t at = entry.rfind('@');
  if (at == std::string_view::npos) {
    std::string error = NormalizeDomainEntry(entry, out);
    if (!error.empty() && kind == EntryKind::kHelo && IpAddress::Parse(entry)) {
      return "an IP address in a HELO list is written as an address literal: [" +
             std::string(entry) + "]";
    }
    return error;
  }
  if (kind == EntryKind::kHelo) return "HELO entries are domains or [address] literals";
  std::string domain;
  std::string error = NormalizeDomainEntry(entry.substr(at + 1), &domain);
  if (!error.empty()) return error;
  if (at == 0) {
    *out = "@" + domain;
    return "";
  }
  if (kind == EntryKind::kDomain) {
    return "From domain entries are domains ('example.org') or '@example.org', not addresses";
  }
  std::string_view local = entry.substr(0, at);
  if (local.size() > kMaxLocalPartLength) return "local part longer than 64 characters";
  // RFC 5321 4.1.2: a quoted local part may hold spaces; it is compared as
  // written (quotes included), like the MTA hands it to us.
  const bool quoted = local.size() >= 2 && local.front() == '"' && local.back() == '"';
  for (char c : local) {
    if (static_cast<unsigned char>(c) < ' ' || (c == ' ' && !quoted) || c == '<' || c == '>' ||
        c == 0x7f) {
      return "invalid character in local part";
    }
  }
  *out = ToLower(local) + "@" + domain;
  return "";
}

bool NormalizeLookupDomain(std::string_view domain, std::string* out) {
  domain = StripTrailingDot(domain);
  if (domain.empty() || domain.size() > kMaxDomainLength) return false;
  *out = ToLower(domain);
  return true;
}

bool NormalizeLookupAddress(std::string_view address, std::string* out) {
  if (address.size() >= 2 && address.front() == '<' && address.back() == '>') {
    address = address.substr(1, address.size() - 2);
  }
  address = StripTrailingDot(address);
  if (address.empty() || address.size() > kMaxLookupAddressLength) return false;
  *out = ToLower(address);
  return true;
}

}  // namespace portcullis::lists
