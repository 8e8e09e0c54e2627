#include "mime/url_parse.h"

#include <arpa/inet.h>

#include <cstdint>
#include <vector>

#include "mime/ascii.h"
#include "portcullis/transaction_info.h"

namespace portcullis::mime {
namespace {

// RFC 1035 2.3.4.
constexpr size_t kMaxHostBytes = 253;
constexpr size_t kMaxLabelBytes = 63;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The spellings of a dot that phishing reports and spam use to defeat
// link detection.
constexpr std::string_view kObfuscatedDots[] = {"[.]",   "(.)",   "{.}",  "[dot]",
                                                "(dot)", "[DOT]", "(DOT)"};

// Replaces obfuscated dots; true when any was found.
bool Deobfuscate(std::string* s) {
  bool found = false;
  for (std::string_view dot : kObfuscatedDots) {
    size_t at;
    while ((at = s->find(dot)) != std::string::npos) {
      s->replace(at, dot.size(), ".");
      found = true;
    }
  }
  return found;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The scheme we report for what was written before "://"; "" for others.
std::string CanonicalScheme(std::string_view written, bool* obfuscated) {
  const std::string s = ToLower(written);
  if (s == "http" || s == "https" || s == "ftp") return s;
  static constexpr struct {
    std::string_view written, scheme;
  } kObfuscated[] = {{"hxxp", "http"},   {"hxxps", "https"}, {"h**p", "http"},
                     {"h**ps", "https"}, {"hxtp", "http"},   {"hxtps", "https"},
                     {"htxp", "http"},   {"htxps", "https"}, {"fxp", "ftp"}};
  for (const auto& o : kObfuscated) {
    if (s == o.written) {
      *obfuscated = true;
      return std::string(o.scheme);
    }
  }
  return "";
}

// One number of a WHATWG IPv4 address; false when not a number.
bool ParseIpv4Number(std::string_view part, uint64_t* value) {
  if (part.empty()) return false;
  int base = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  uint64_t v = 0;
  for (char c : part) {
    const int d = HexValue(c);
    if (d < 0 || d >= base) return false;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    if (v > 0xFFFFFFFFull) v = 0x100000000ull;  // out of range, no overflow
  }
  *value = v;
  return true;
}

bool ValidLabelChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || u >= 0x80;
}

}  // namespace

std::optional<std::string> ParseIpv4Forms(std::string_view host, bool* invalid) {
  *invalid = false;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t dot = host.find('.', start);
    parts.push_back(host.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
    if (parts.size() > 4) return std::nullopt;
  }
  // WHATWG: the host is an IPv4 address when its last part is a number.
  uint64_t last;
  if (!ParseIpv4Number(parts.back(), &last)) return std::nullopt;
  if (parts.size() > 4) {
    *invalid = true;
    return std::nullopt;
  }
  uint64_t address = 0;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    uint64_t v;
    if (!ParseIpv4Number(parts[i], &v) || v > 255) {
      *invalid = true;
      return std::nullopt;
    }
    address |= v << (8 * (3 - i));
  }
  const unsigned fill_bits = 8 * static_cast<unsigned>(5 - parts.size());
  if (last >= (1ull << fill_bits)) {
    *invalid = true;
    return std::nullopt;
  }
  address |= last;
  return std::to_string((address >> 24) & 0xFF) + "." + std::to_string((address >> 16) & 0xFF) +
         "." + std::to_string((address >> 8) & 0xFF) + "." + std::to_string(address & 0xFF);
}

std::optional<Host> NormaliseHost(std::string_view raw) {
  Host host;
  std::string s(raw);
  host.obfuscated = Deobfuscate(&s);
  if (s.find('%') != std::string::npos) s = PercentDecode(s);
  if (s.empty() || s.size() > kMaxHostBytes + 2) return std::nullopt;
  if (s.front() == '[') {
    // RFC 3986 3.2.2: IP-literal.
    if (s.back() != ']') return std::nullopt;
    const std::string inner = s.substr(1, s.size() - 2);
    in6_addr a6;
    char text[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET6, inner.c_str(), &a6) != 1 ||
        !inet_ntop(AF_INET6, &a6, text, sizeof text)) {
      return std::nullopt;
    }
    host.name = text;
    host.is_ip = true;
    return host;
  }
  s = ToLower(s);
  // Full-width and ideographic dots (U+3002, U+FF0E, U+FF61) separate
  // labels too (RFC 3490 3.1).
  for (std::string_view dot : {"\xE3\x80\x82", "\xEF\xBC\x8E", "\xEF\xBD\xA1"}) {
    size_t at;
    while ((at = s.find(dot)) != std::string::npos) s.replace(at, dot.size(), ".");
  }
  bool invalid = false;
  if (auto ip = ParseIpv4Forms(s, &invalid)) {
    host.name = *ip;
    host.is_ip = true;
    return host;
  }
  if (invalid) return std::nullopt;
  if (!s.empty() && s.back() == '.') s.pop_back();
  std::string name;
  size_t labels = 0;
  size_t start = 0;
  std::string_view last_label;
  for (;;) {
    const size_t dot = s.find('.', start);
    std::string_view label =
        std::string_view(s).substr(start, dot == std::string::npos ? dot : dot - start);
    if (label.empty() || label.size() > 4 * kMaxLabelBytes) return std::nullopt;
    for (char c : label) {
      if (!ValidLabelChar(c)) return std::nullopt;
    }
    if (!name.empty()) name.push_back('.');
    bool ascii = true;
    for (char c : label) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) {  // already lower-case: no Punycode needed
      if (label.size() > kMaxLabelBytes) return std::nullopt;
      name += label;
    } else {
      auto a_label = ToALabel(label);
      if (!a_label || a_label->size() > kMaxLabelBytes) return std::nullopt;
      name += *a_label;
    }
    ++labels;
    last_label = label;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (labels < 2 || name.size() > kMaxHostBytes) return std::nullopt;
  // The top-level label: letters (or an IDN), never all digits.
  const char first = last_label.front();
  if (!((first >= 'a' && first <= 'z') || static_cast<unsigned char>(first) >= 0x80)) {
    return std::nullopt;
  }
  if (last_label.find('_') != std::string_view::npos) return std::nullopt;
  host.name = name;
  return host;
}

std::optional<Url> ParseUrl(std::string_view candidate, Url::Source source,
                            const PublicSuffixList* psl) {
  Url url;
  url.source = source;
  std::string_view rest;
  std::string prefix;  // what `text` starts with
  bool scheme_obfuscated = false;
  if (candidate.size() > 4 && ToLower(candidate.substr(0, 4)) == "www.") {
    url.scheme = "http";
    rest = candidate;
  } else if (candidate.substr(0, 2) == "//") {
    url.scheme = "http";
    rest = candidate.substr(2);
    prefix = "//";
  } else {
    // scheme "://", also with an obfuscated colon "[:]//".
    size_t sep = candidate.find("://");
    size_t sep_len = 3;
    for (std::string_view alt : {"[:]//", "(:)//"}) {
      const size_t at = candidate.find(alt);
      if (at != std::string_view::npos && (sep == std::string_view::npos || at < sep)) {
        sep = at;
        sep_len = alt.size();
        scheme_obfuscated = true;
      }
    }
    if (sep == std::string_view::npos) return std::nullopt;
    url.scheme = CanonicalScheme(candidate.substr(0, sep), &scheme_obfuscated);
    if (url.scheme.empty()) return std::nullopt;
    rest = candidate.substr(sep + sep_len);
    prefix = url.scheme + "://";
  }
  // RFC 3986 3.2: the authority runs to the first "/", "?" or "#";
  // browsers treat "\" like "/".
  const size_t authority_end = rest.find_first_of("/?#\\");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  // userinfo "@": the host is what follows the last one.
  std::string_view userinfo;
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    userinfo = authority.substr(0, at + 1);
    authority = authority.substr(at + 1);
  }
  std::string_view host_text = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[' &&
      authority.find("]") != std::string_view::npos &&
      authority.find("[.]") == std::string_view::npos) {
    const size_t close = authority.find(']');
    host_text = authority.substr(0, close + 1);
    port = authority.substr(close + 1);
  } else if (const size_t colon = authority.rfind(':');
             colon != std::string_view::npos && authority.find("[:]") == std::string_view::npos) {
    host_text = authority.substr(0, colon);
    port = authority.substr(colon);
  }
  if (!port.empty()) {
    if (port.front() != ':') return std::nullopt;
    for (char c : port.substr(1)) {
      if (c < '0' || c > '9') return std::nullopt;
    }
  }
  auto host = NormaliseHost(host_text);
  if (!host) return std::nullopt;
  url.host = host->name;
  url.host_is_ip = host->is_ip;
  url.obfuscated = scheme_obfuscated || host->obfuscated;
  std::string deobfuscated_host(host_text);
  Deobfuscate(&deobfuscated_host);
  url.text =
      prefix + std::string(userinfo) + deobfuscated_host + std::string(port) + std::string(tail);
  if (!url.host_is_ip && psl) url.registered_domain = psl->RegistrableDomain(url.host).value_or("");
  return url;
}

std::optional<EmailAddress> ParseEmail(std::string_view local, std::string_view domain,
                                       const PublicSuffixList* psl) {
  // RFC 5321 4.5.3.1.1: a local part is at most 64 octets.
  if (local.empty() || local.size() > 64) return std::nullopt;
  auto host = NormaliseHost(domain);
  if (!host || host->is_ip || host->obfuscated) return std::nullopt;
  EmailAddress address;
  address.domain = host->name;
  address.address = std::string(local) + "@" + host->name;
  if (psl) address.registered_domain = psl->RegistrableDomain(host->name).value_or("");
  return address;
}

std::string UrlDedupKey(const Url& url) {
  // The part after the authority, as written.
  std::string_view text = url.text;
  size_t start = 0;
  if (const size_t sep = text.find("//"); sep != std::string_view::npos && sep < 12)
    start = sep + 2;
  const size_t path = text.find_first_of("/?#\\", start);
  std::string key = url.scheme + "://" + url.host;
  if (path != std::string_view::npos) key.append(text.substr(path));
  return key;
}

}  // namespace portcullis::mime
