#include "dkim_header_canon.h"

#include <unordered_map>

namespace portcullis::dkim {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string Simple(std::string_view name, std::string_view value) {
  // RFC 6376 3.4.1: no change at all. The MTA turned each CRLF fold into a
  // bare "\n"; put the CR back (a "\r\n" already there stays as it is).
  std::string out(name);
  out.push_back(':');
  out.reserve(out.size() + value.size() + 8);
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\n' && (i == 0 || value[i - 1] != '\r')) out.push_back('\r');
    out.push_back(value[i]);
  }
  return out;
}

std::string Relaxed(std::string_view name, std::string_view value) {
  // RFC 6376 3.4.2: lower-case the name; unfold; reduce WSP runs to one SP;
  // delete WSP at the end of the value and around the colon.
  while (!name.empty() && IsWsp(name.back())) name.remove_suffix(1);
  std::string out = ToLower(name);
  out.push_back(':');
  bool pending_space = false;
  bool started = false;
  for (char c : value) {
    if (c == '\r' || c == '\n') continue;  // unfold
    if (IsWsp(c)) {
      pending_space = started;  // leading WSP after the colon is dropped
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    started = true;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string CanonicalizeHeader(Canonicalization canon, std::string_view name,
                               std::string_view value) {
  return canon == Canonicalization::kSimple ? Simple(name, value) : Relaxed(name, value);
}

std::string SelectAndCanonicalize(Canonicalization canon, const std::vector<HeaderField>& headers,
                                  const std::vector<std::string>& signed_headers) {
  std::string out;
  // How many instances of each name were used already, counted from the
  // bottom.
  std::unordered_map<std::string, size_t> used;
  for (const std::string& wanted : signed_headers) {
    size_t& skip = used[wanted];
    size_t seen = 0;
    for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
      std::string_view name = it->name;
      while (!name.empty() && IsWsp(name.back())) name.remove_suffix(1);
      if (!EqualsIgnoreCase(name, wanted)) continue;
      if (seen++ < skip) continue;
      out += CanonicalizeHeader(canon, it->name, it->value);
      out += "\r\n";
      break;
    }
    ++skip;
  }
  return out;
}

}  // namespace portcullis::dkim
