#include "mime/mime_params.h"

#include <vector>

#include "mime/ascii.h"
#include "mime/charset_decoder.h"

namespace portcullis::mime {
namespace {

// RFC 2231 3: continuations are numbered; more sections than this are
// ignored (the bound keeps a hostile header from building huge values).
constexpr int kMaxContinuations = 100;
constexpr size_t kMaxParams = 64;

// RFC 2045 5.1 tspecials.
bool IsTspecial(char c) {
  switch (c) {
    case '(':
    case ')':
    case '<':
    case '>':
    case '@':
    case ',':
    case ';':
    case ':':
    case '\\':
    case '"':
    case '/':
    case '[':
    case ']':
    case '?':
    case '=': return true;
    default: return false;
  }
}

bool IsTokenChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u != 0x7F && !IsTspecial(c);
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }
  void next() { ++pos_; }

  // Whitespace and (nested) comments, RFC 5322 3.2.2 CFWS.
  void SkipCfws() {
    while (!done()) {
      const char c = peek();
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        next();
      } else if (c == '(') {
        int depth = 0;
        while (!done()) {
          const char d = peek();
          next();
          if (d == '\\' && !done()) {
            next();
          } else if (d == '(') {
            ++depth;
          } else if (d == ')' && --depth == 0) {
            break;
          }
        }
      } else {
        return;
      }
    }
  }

  std::string Token(bool allow_slash) {
    std::string out;
    while (!done() && (IsTokenChar(peek()) || (allow_slash && peek() == '/'))) {
      out.push_back(peek());
      next();
    }
    return out;
  }

  std::string QuotedString() {
    std::string out;
    next();  // the opening quote
    while (!done()) {
      const char c = peek();
      next();
      if (c == '"') return out;
      if (c == '\\' && !done()) {
        out.push_back(peek());
        next();
      } else {
        out.push_back(c);
      }
    }
    return out;  // unterminated: what we have
  }

  // Skips to just past the next ';' (recovery from a malformed parameter).
  void SkipPastSemicolon() {
    while (!done() && peek() != ';') {
      if (peek() == '"') {
        QuotedString();
      } else {
        next();
      }
    }
    if (!done()) next();
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
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

struct Section {
  std::string value;
  bool extended = false;  // "*" after the section number: percent-encoded
};

struct Pending {
  std::string plain;  // name=value
  bool has_plain = false;
  std::map<int, Section> sections;  // name*N[*]=value, name*=value as 0
};

}  // namespace

bool IsMediaType(std::string_view value) {
  const size_t slash = value.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == value.size()) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    if (i != slash && !IsTokenChar(value[i])) return false;
  }
  return value.find('/', slash + 1) == std::string_view::npos;
}

StructuredValue ParseStructuredValue(std::string_view text) {
  StructuredValue result;
  Scanner scan(text);
  scan.SkipCfws();
  std::string value = scan.Token(/*allow_slash=*/true);
  for (char& c : value) c = LowerAscii(c);
  result.value = value;
  std::map<std::string, Pending> pending;
  scan.SkipCfws();
  // Anything before the first ';' that is not CFWS is junk; skip it.
  if (!scan.done() && scan.peek() != ';') scan.SkipPastSemicolon();
  while (!scan.done()) {
    if (scan.peek() == ';') scan.next();
    scan.SkipCfws();
    if (scan.done()) break;
    std::string name = scan.Token(false);
    scan.SkipCfws();
    if (name.empty() || scan.done() || scan.peek() != '=') {
      scan.SkipPastSemicolon();
      continue;
    }
    scan.next();  // '='
    scan.SkipCfws();
    std::string param_value;
    if (!scan.done() && scan.peek() == '"') {
      param_value = scan.QuotedString();
    } else {
      // Lenient: an unquoted value runs to ';' or whitespace (mailers put
      // tspecials such as '/' and '=' in unquoted values).
      while (!scan.done() && scan.peek() != ';' && scan.peek() != ' ' && scan.peek() != '\t') {
        param_value.push_back(scan.peek());
        scan.next();
      }
    }
    scan.SkipCfws();
    for (char& c : name) c = LowerAscii(c);
    if (pending.size() >= kMaxParams && !pending.count(name)) continue;
    // RFC 2231 3 and 4: name*N, name*N*, name*.
    const size_t star = name.find('*');
    if (star == std::string::npos) {
      Pending& p = pending[name];
      if (!p.has_plain) {
        p.plain = param_value;
        p.has_plain = true;
      }
      continue;
    }
    const std::string base = name.substr(0, star);
    std::string_view rest = std::string_view(name).substr(star + 1);
    Section section;
    section.value = param_value;
    int number = 0;
    if (rest.empty()) {
      section.extended = true;  // name*=
    } else {
      bool digits = false;
      while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
        number = number * 10 + (rest.front() - '0');
        if (number > kMaxContinuations) break;
        rest.remove_prefix(1);
        digits = true;
      }
      if (!digits || number > kMaxContinuations || (!rest.empty() && rest != "*")) continue;
      section.extended = rest == "*";
    }
    pending[base].sections.emplace(number, section);
  }

  for (auto& [name, p] : pending) {
    if (p.sections.empty()) {
      result.params[name] = p.plain;
      continue;
    }
    // Join sections 0, 1, 2... up to the first gap (RFC 2231 3: "the
    // parameter ... is terminated by the first missing" number).
    std::string charset;
    std::string bytes;
    bool any_extended = false;
    int expect = 0;
    for (auto& [number, section] : p.sections) {
      if (number != expect) break;
      ++expect;
      std::string_view v = section.value;
      if (section.extended) {
        any_extended = true;
        if (number == 0) {
          // RFC 2231 4: charset'language'value in the first section.
          const size_t q1 = v.find('\'');
          const size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
          if (q2 != std::string_view::npos) {
            charset = std::string(v.substr(0, q1));
            v = v.substr(q2 + 1);
          }
        }
        bytes += PercentDecode(v);
      } else {
        bytes += v;
      }
    }
    if (expect == 0) {  // no section 0: fall back to the plain value
      result.params[name] = p.plain;
      continue;
    }
    CharsetDecoder decoder(any_extended ? charset : std::string());
    if (!decoder.known()) result.bad_charset = true;
    std::string utf8;
    decoder.Feed(bytes, &utf8);
    decoder.Finish(&utf8);
    result.params[name] = utf8;
  }
  return result;
}

}  // namespace portcullis::mime
