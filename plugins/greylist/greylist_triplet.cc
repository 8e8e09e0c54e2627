#include "greylist_triplet.h"

#include <array>
#include <cstdint>

#include "portcullis/transaction_info.h"

namespace portcullis::greylist {
namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Perl's \w: the characters a \b boundary is defined against.
bool IsWordChar(char c) { return IsAlnum(c) || c == '_'; }

// Splits at the last '@' (a quoted local part may hold an '@').
bool SplitAddress(std::string_view address, std::string_view* local, std::string_view* domain) {
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return false;
  *local = address.substr(0, at);
  *domain = address.substr(at + 1);
  return true;
}

// A BATV tag: letters and digits only, never empty (the draft's tag-val is
// a key number, a day number and a hash, all alphanumeric).
bool IsTag(std::string_view tag) {
  if (tag.empty()) return false;
  for (char c : tag) {
    if (!IsAlnum(c)) return false;
  }
  return true;
}

// "TAG<sep>rest" -> "rest" when TAG is a tag and rest is not empty.
std::optional<std::string_view> AfterTag(std::string_view text, std::string_view sep) {
  const size_t end = text.find(sep);
  if (end == std::string_view::npos || !IsTag(text.substr(0, end))) return std::nullopt;
  std::string_view rest = text.substr(end + sep.size());
  if (rest.empty()) return std::nullopt;
  return rest;
}

// SRS0 body after "SRS0<sep>": HHH=TT=domain=user -> user@domain.
std::optional<std::string> DecodeSrs0Body(std::string_view body) {
  std::array<std::string_view, 3> parts;  // hash, timestamp, domain
  for (std::string_view& part : parts) {
    const size_t end = body.find('=');
    if (end == std::string_view::npos) return std::nullopt;
    part = body.substr(0, end);
    body = body.substr(end + 1);
  }
  // body is now the original local part (it may itself contain '=').
  if (parts[2].empty() || body.empty()) return std::nullopt;
  return std::string(body) + "@" + std::string(parts[2]);
}

bool IsSrsSeparator(char c) { return c == '=' || c == '+' || c == '-'; }

}  // namespace

std::string StripBatv(std::string_view address) {
  std::string_view local;
  std::string_view domain;
  if (!SplitAddress(address, &local, &domain)) return std::string(address);
  std::optional<std::string_view> rest;
  if (StartsWithNoCase(local, "prvs=")) {
    rest = AfterTag(local.substr(5), "=");
  } else if (StartsWithNoCase(local, "msprvs1=")) {
    rest = AfterTag(local.substr(8), "=");
  } else if (StartsWithNoCase(local, "btv1==")) {
    rest = AfterTag(local.substr(6), "==");
  }
  if (!rest) return std::string(address);
  return std::string(*rest) + "@" + std::string(domain);
}

std::string StripSrs(std::string_view address) {
  std::string_view local;
  std::string_view domain;
  if (!SplitAddress(address, &local, &domain)) return std::string(address);
  std::optional<std::string> decoded;
  if (StartsWithNoCase(local, "srs0") && local.size() > 4 && IsSrsSeparator(local[4])) {
    decoded = DecodeSrs0Body(local.substr(5));
  } else if (StartsWithNoCase(local, "srs1") && local.size() > 4 && IsSrsSeparator(local[4])) {
    // SRS1<sep>HHH=first-forwarder=<sep0>SRS0-body: the original address is
    // in the SRS0 body the first forwarder made.
    std::string_view body = local.substr(5);
    const size_t hash_end = body.find('=');
    if (hash_end != std::string_view::npos) {
      body = body.substr(hash_end + 1);
      const size_t forwarder_end = body.find('=');
      if (forwarder_end != std::string_view::npos && forwarder_end + 1 < body.size() &&
          IsSrsSeparator(body[forwarder_end + 1])) {
        decoded = DecodeSrs0Body(body.substr(forwarder_end + 2));
      }
    }
  }
  return decoded ? *decoded : std::string(address);
}

std::string StripSubaddress(std::string_view address, std::string_view separators) {
  std::string_view local;
  std::string_view domain;
  if (separators.empty() || !SplitAddress(address, &local, &domain)) return std::string(address);
  const size_t cut = local.find_first_of(separators);
  if (cut == std::string_view::npos || cut == 0) return std::string(address);
  return std::string(local.substr(0, cut)) + "@" + std::string(domain);
}

namespace {

std::string ReplaceDigitRuns(std::string_view address) {
  std::string_view local;
  std::string_view domain;
  if (!SplitAddress(address, &local, &domain)) return std::string(address);
  std::string out;
  out.reserve(address.size());
  size_t i = 0;
  while (i < local.size()) {
    if (!IsDigit(local[i])) {
      out += local[i++];
      continue;
    }
    size_t end = i;
    while (end < local.size() && IsDigit(local[end])) ++end;
    const bool bounded_before = i == 0 || !IsWordChar(local[i - 1]);
    const bool bounded_after = end == local.size() || !IsWordChar(local[end]);
    if (bounded_before && bounded_after) {
      out += '#';
    } else {
      out.append(local.substr(i, end - i));
    }
    i = end;
  }
  return out + "@" + std::string(domain);
}

}  // namespace

std::string NormaliseSender(std::string_view sender, const SenderOptions& options) {
  if (sender.empty() || sender == kNullSender) return kNullSender;
  std::string address = options.lower_case ? ToLower(sender) : std::string(sender);
  if (options.strip_batv) address = StripBatv(address);
  if (options.strip_srs) {
    address = StripSrs(address);
    // A forwarder may BATV-sign its SRS address, and the original sender may
    // have BATV-signed theirs: both layers go.
    if (options.strip_batv) address = StripBatv(address);
  }
  if (options.strip_subaddress) address = StripSubaddress(address, options.separators);
  if (options.replace_digits) address = ReplaceDigitRuns(address);
  return address;
}

std::string NormaliseRecipient(std::string_view recipient, bool strip_subaddress,
                               std::string_view separators) {
  std::string address = ToLower(recipient);
  if (strip_subaddress) address = StripSubaddress(address, separators);
  return address;
}

namespace {

IpAddress Mask(const IpAddress& address, int prefix) {
  std::array<uint8_t, 16> bytes{};
  const int bytes_total = address.is_v4() ? 4 : 16;
  for (int i = 0; i < bytes_total; ++i) {
    const int keep = prefix - i * 8;
    uint8_t mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : static_cast<uint8_t>(0xff << (8 - keep));
    bytes[i] = address.bytes()[i] & mask;
  }
  if (address.is_v4()) return IpAddress::FromV4({bytes[0], bytes[1], bytes[2], bytes[3]});
  return IpAddress::FromV6(bytes);
}

}  // namespace

std::string ClientNetwork(const IpAddress& address, int ipv4_prefix, int ipv6_prefix) {
  IpAddress ip = address;
  if (std::optional<IpAddress> v4 = address.UnmapV4()) ip = *v4;
  const int prefix = ip.is_v4() ? ipv4_prefix : ipv6_prefix;
  return Mask(ip, prefix).ToString() + "/" + std::to_string(prefix);
}

std::optional<std::string> OperatorNetwork(std::string_view text, int ipv4_prefix, int ipv6_prefix,
                                           std::string* error) {
  if (text.find('/') == std::string_view::npos) {
    std::optional<IpAddress> address = IpAddress::Parse(text);
    if (!address) {
      *error = "'" + std::string(text) + "' is not an IP address or network";
      return std::nullopt;
    }
    return ClientNetwork(*address, ipv4_prefix, ipv6_prefix);
  }
  std::optional<IpNetwork> network = IpNetwork::Parse(text);
  if (!network) {
    *error = "'" + std::string(text) + "' is not an IP address or network";
    return std::nullopt;
  }
  IpAddress ip = network->address;
  int length = network->prefix_length;
  if (std::optional<IpAddress> v4 = ip.UnmapV4(); v4 && length >= 96) {
    ip = *v4;
    length -= 96;
  }
  const int want = ip.is_v4() ? ipv4_prefix : ipv6_prefix;
  if (length != want) {
    *error = "greylisting keys networks by /" + std::to_string(want) + " for " +
             (ip.is_v4() ? "IPv4" : "IPv6") + "; give an address or a /" + std::to_string(want) +
             " (wider ranges belong in allowlist_clients)";
    return std::nullopt;
  }
  if (!(Mask(ip, length) == ip)) {
    *error = "'" + std::string(text) + "' has host bits set beyond the /" + std::to_string(length);
    return std::nullopt;
  }
  return ip.ToString() + "/" + std::to_string(length);
}

}  // namespace portcullis::greylist
