#include "spf_macro.h"

#include <algorithm>

#include "spf_domain.h"

namespace portcullis::spf {
namespace {

// RFC 7208 7.1: delimiter = "." / "-" / "+" / "," / "/" / "_" / "=".
constexpr std::string_view kDelimiters = ".-+,/_=";
// Far above any real part count; keeps the parsed number in a small field.
constexpr uint16_t kMaxKeep = 65535;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// RFC 7208 7.1: toplabel = ( *alphanum ALPHA *alphanum ) /
//                          ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
bool IsTopLabel(std::string_view label) {
  if (label.empty()) return false;
  bool alpha = false;
  bool hyphen = false;
  for (char c : label) {
    if (c == '-') {
      hyphen = true;
    } else if (!IsAlnum(c)) {
      return false;
    } else if (IsAlpha(c)) {
      alpha = true;
    }
  }
  if (!hyphen) return alpha;
  return IsAlnum(label.front()) && IsAlnum(label.back());
}

// RFC 7208 7.1: domain-end = ( "." toplabel [ "." ] ) / macro-expand.
// `tail` is the text after the last macro-expand, all literal characters.
bool IsDomainEnd(std::string_view tail, bool ends_with_macro) {
  if (ends_with_macro) return true;
  if (!tail.empty() && tail.back() == '.') tail.remove_suffix(1);
  const size_t dot = tail.rfind('.');
  if (dot == std::string_view::npos) return false;
  return IsTopLabel(tail.substr(dot + 1));
}

// RFC 3986 2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
void AppendUrlEscaped(std::string_view value, std::string* out) {
  static const char kHex[] = "0123456789ABCDEF";
  for (char c : value) {
    if (IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out->push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out->push_back('%');
      out->push_back(kHex[byte >> 4]);
      out->push_back(kHex[byte & 0xf]);
    }
  }
}

// RFC 7208 7.3: for IPv6 "i" is the dot-separated nibbles, most significant
// first (32 hex digits); for IPv4 the dotted quad.
void AppendDottedAddress(const IpAddress& ip, std::string* out) {
  if (ip.is_v4()) {
    out->append(ip.ToString());
    return;
  }
  static const char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) {
    if (i) out->push_back('.');
    out->push_back(kHex[ip.bytes()[i] >> 4]);
    out->push_back('.');
    out->push_back(kHex[ip.bytes()[i] & 0xf]);
  }
}

// The bounded output of one expansion (see kMaxMacroOutput).
class BoundedOutput {
 public:
  explicit BoundedOutput(bool domain) : domain_(domain) {}

  bool full() const { return !domain_ && out_.size() >= kMaxMacroOutput; }

  void Append(std::string_view text) {
    if (!domain_) {
      out_.append(text.substr(0, kMaxMacroOutput - std::min(out_.size(), kMaxMacroOutput)));
      return;
    }
    while (!text.empty()) {
      if (dropping_label_) {
        // RFC 7208 7.3: the label goes with its following dot.
        const size_t dot = text.find('.');
        if (dot == std::string_view::npos) return;
        text.remove_prefix(dot + 1);
        dropping_label_ = false;
        continue;
      }
      const size_t take = std::min(text.size(), kMaxMacroOutput + 1 - out_.size());
      out_.append(text.substr(0, take));
      text.remove_prefix(take);
      if (out_.size() > kMaxMacroOutput) Compact();
    }
  }

  std::string Finish() {
    if (dropping_label_) return "";
    if (domain_) TruncateDomain(&out_);
    return std::move(out_);
  }

 private:
  // Drops the left labels 7.3 would drop at the end anyway: the final name
  // is longer than the buffer, so every cut made here is also made there.
  void Compact() {
    TruncateDomain(&out_);
    if (out_.size() > kMaxDomainLength) {
      // One label longer than the whole bound: it is dropped if a dot ever
      // follows, else the name can never be valid.
      out_.clear();
      dropping_label_ = true;
    }
  }

  bool domain_;
  bool dropping_label_ = false;
  std::string out_;
};

}  // namespace

std::optional<MacroString> MacroString::Parse(std::string_view text, MacroContext context,
                                              std::string* error) {
  MacroString result;
  result.text_ = std::string(text);
  result.domain_ = context == MacroContext::kDomainSpec;
  size_t after_last_macro = 0;  // raw offset just past the last macro-expand
  auto fail = [&](std::string message) -> std::optional<MacroString> {
    *error = std::move(message);
    return std::nullopt;
  };
  auto append_literal = [&](std::string_view literal) {
    if (result.tokens_.empty() || result.tokens_.back().letter != 0) {
      Token token;
      token.offset = static_cast<uint32_t>(result.literals_.size());
      result.tokens_.push_back(token);
    }
    result.literals_.append(literal);
    result.tokens_.back().length += static_cast<uint32_t>(literal.size());
  };

  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c != '%') {
      const auto byte = static_cast<unsigned char>(c);
      if (c == ' ' && context != MacroContext::kExplainString) {
        return fail("space in a macro-string");
      }
      if (byte < ' ' || byte > 0x7e) return fail("character outside visible ASCII");
      append_literal(text.substr(i, 1));
      ++i;
      continue;
    }
    // RFC 7208 7.1: "%%", "%_", "%-" or "%{" letter transformers delimiters "}".
    if (i + 1 >= text.size()) return fail("'%' at the end of a macro-string");
    const char next = text[i + 1];
    if (next == '%' || next == '_' || next == '-') {
      append_literal(next == '%' ? "%" : next == '_' ? " " : "%20");
      i += 2;
      after_last_macro = i;
      continue;
    }
    if (next != '{') return fail("'%' not followed by '{', '%', '_' or '-'");
    size_t j = i + 2;
    if (j >= text.size()) return fail("unterminated macro");
    Token token;
    const char letter = Lower(text[j]);
    if (std::string_view("slodiphcrtv").find(letter) == std::string_view::npos) {
      return fail(std::string("unknown macro letter '") + text[j] + "'");
    }
    // RFC 7208 7.2: c, r and t are for explanations only.
    if ((letter == 'c' || letter == 'r' || letter == 't') && context == MacroContext::kDomainSpec) {
      return fail(std::string("macro letter '") + letter + "' is allowed only in explanations");
    }
    token.letter = letter;
    token.escape = text[j] >= 'A' && text[j] <= 'Z';
    ++j;
    bool digits = false;
    uint32_t keep = 0;
    while (j < text.size() && IsDigit(text[j])) {
      digits = true;
      keep = std::min<uint32_t>(keep * 10 + static_cast<uint32_t>(text[j] - '0'), kMaxKeep);
      ++j;
    }
    // RFC 7208 7.3: "If a DIGIT is specified, the value MUST be nonzero."
    if (digits && keep == 0) return fail("macro transformer 0");
    token.keep = static_cast<uint16_t>(keep);
    if (j < text.size() && (text[j] == 'r' || text[j] == 'R')) {
      token.reverse = true;
      ++j;
    }
    while (j < text.size() && kDelimiters.find(text[j]) != std::string_view::npos) {
      token.delimiters |= static_cast<uint8_t>(1u << kDelimiters.find(text[j]));
      ++j;
    }
    if (j >= text.size() || text[j] != '}') return fail("malformed macro");
    result.tokens_.push_back(token);
    result.literal_ = false;
    if (letter == 'p') result.uses_p_ = true;
    i = j + 1;
    after_last_macro = i;
  }

  if (context == MacroContext::kDomainSpec) {
    if (text.empty()) return fail("empty domain-spec");
    if (!IsDomainEnd(text.substr(after_last_macro), after_last_macro == text.size())) {
      return fail("domain-spec does not end in a top-level label or a macro");
    }
  }
  return result;
}

void MacroString::AppendValue(const Token& token, const MacroInputs& inputs,
                              std::string* value) const {
  switch (token.letter) {
    case 's': value->append(inputs.sender); break;
    case 'l': value->append(inputs.local_part); break;
    case 'o': value->append(inputs.sender_domain); break;
    case 'd': value->append(inputs.domain); break;
    case 'i':
      if (inputs.ip) AppendDottedAddress(*inputs.ip, value);
      break;
    case 'p': value->append(inputs.validated_name); break;
    case 'h': value->append(inputs.helo); break;
    case 'c':
      if (inputs.ip) value->append(inputs.ip->ToString());
      break;
    case 'r': value->append(inputs.receiver); break;
    case 't': value->append(std::to_string(inputs.now)); break;
    case 'v': value->append(inputs.ip && !inputs.ip->is_v4() ? "ip6" : "in-addr"); break;
  }
}

std::string MacroString::Expand(const MacroInputs& inputs) const {
  if (literal_ && literals_.size() <= kMaxMacroOutput) {
    std::string plain = literals_;
    if (domain_) TruncateDomain(&plain);
    return plain;
  }
  BoundedOutput out(domain_);
  std::string value;
  std::string transformed;
  std::vector<std::string_view> parts;
  for (const Token& token : tokens_) {
    if (out.full()) break;
    if (token.letter == 0) {
      out.Append(std::string_view(literals_).substr(token.offset, token.length));
      continue;
    }
    value.clear();
    AppendValue(token, inputs, &value);
    std::string_view result = value;
    if (token.keep != 0 || token.reverse || token.delimiters != 0) {
      // RFC 7208 7.3: split on the delimiters ("." by default), reverse,
      // keep the rightmost N parts, and rejoin with ".".
      const uint8_t delimiters = token.delimiters ? token.delimiters : 1;
      parts.clear();
      size_t start = 0;
      for (size_t k = 0; k <= value.size(); ++k) {
        const size_t which = k < value.size() ? kDelimiters.find(value[k]) : std::string::npos;
        const bool split =
            k == value.size() || (which != std::string::npos && (delimiters & (1u << which)));
        if (!split) continue;
        parts.push_back(std::string_view(value).substr(start, k - start));
        start = k + 1;
      }
      if (token.reverse) std::reverse(parts.begin(), parts.end());
      const size_t keep =
          token.keep == 0 ? parts.size() : std::min<size_t>(token.keep, parts.size());
      transformed.clear();
      for (size_t k = parts.size() - keep; k < parts.size(); ++k) {
        if (k != parts.size() - keep) transformed.push_back('.');
        transformed.append(parts[k]);
      }
      result = transformed;
    }
    if (token.escape) {
      std::string escaped;
      AppendUrlEscaped(result, &escaped);
      out.Append(escaped);
    } else {
      out.Append(result);
    }
  }
  return out.Finish();
}

}  // namespace portcullis::spf
