// RFC 7208 section 12 (collected ABNF) is the reference for everything here.
#include "spf_record.h"

#include <strings.h>

namespace portcullis::spf {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// ip4-cidr-length = "/" ( "0" / %x31-39 0*1DIGIT ) ; 0-32
// ip6-cidr-length = "/" ( "0" / %x31-39 0*2DIGIT ) ; 0-128
// `digits` is the text after the slash; no leading zeros.
bool ParseCidr(std::string_view digits, int max, uint8_t* out) {
  const size_t max_digits = max == 32 ? 2 : 3;
  if (digits.empty() || digits.size() > max_digits) return false;
  if (digits.size() > 1 && digits[0] == '0') return false;
  int value = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  if (value > max) return false;
  *out = static_cast<uint8_t>(value);
  return true;
}

// qnum = DIGIT / %x31-39 DIGIT / "1" 2DIGIT / "2" %x30-34 DIGIT / "25" %x30-35
bool ParseIp4(std::string_view text, IpAddress* out) {
  std::array<uint8_t, 4> bytes{};
  for (int i = 0; i < 4; ++i) {
    size_t end = text.find('.');
    if (i == 3) {
      if (end != std::string_view::npos) return false;
      end = text.size();
    } else if (end == std::string_view::npos) {
      return false;
    }
    std::string_view number = text.substr(0, end);
    if (number.empty() || number.size() > 3 || (number.size() > 1 && number[0] == '0')) {
      return false;
    }
    int value = 0;
    for (char c : number) {
      if (!IsDigit(c)) return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255) return false;
    bytes[i] = static_cast<uint8_t>(value);
    text.remove_prefix(end == text.size() ? end : end + 1);
  }
  *out = IpAddress::FromV4(bytes);
  return true;
}

// ip6-network = <as per RFC 4291 2.2>: hex digits, colons and an embedded
// dotted quad, nothing else (no brackets, no zone).
bool ParseIp6(std::string_view text, IpAddress* out) {
  for (char c : text) {
    if (!IsDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != ':' && c != '.') {
      return false;
    }
  }
  auto ip = IpAddress::Parse(text);
  if (!ip || ip->is_v4()) return false;
  *out = *ip;
  return true;
}

// Splits "[:domain-spec][/n][//m]" into the part before the CIDR lengths
// and the lengths; a trailing "/digits" or "//digits" is taken as a CIDR
// length and then checked strictly.
bool SplitDualCidr(std::string_view rest, std::string_view* body, Directive* directive,
                   std::string* error) {
  auto trailing_digits = [](std::string_view text, size_t slash) {
    if (slash == std::string_view::npos || slash + 1 >= text.size()) return false;
    for (size_t i = slash + 1; i < text.size(); ++i) {
      if (!IsDigit(text[i])) return false;
    }
    return true;
  };
  const size_t double_slash = rest.rfind("//");
  if (trailing_digits(rest,
                      double_slash == std::string_view::npos ? double_slash : double_slash + 1)) {
    if (!ParseCidr(rest.substr(double_slash + 2), 128, &directive->cidr6)) {
      *error = "ip6-cidr-length out of range or with leading zeros";
      return false;
    }
    rest = rest.substr(0, double_slash);
  }
  const size_t slash = rest.rfind('/');
  if (trailing_digits(rest, slash)) {
    if (!ParseCidr(rest.substr(slash + 1), 32, &directive->cidr4)) {
      *error = "ip4-cidr-length out of range or with leading zeros";
      return false;
    }
    rest = rest.substr(0, slash);
  }
  *body = rest;
  return true;
}

class Parser {
 public:
  explicit Parser(Record* record) : record_(record) {}

  // One term; returns false with error_ set on a syntax error.
  bool Term(std::string_view term, uint32_t offset) {
    // RFC 7208 4.6.1: name "=" ... is a modifier; name = ALPHA *( ALPHA /
    // DIGIT / "-" / "_" / "." ).
    size_t name_end = 0;
    if (!term.empty() && IsAlpha(term[0])) {
      name_end = 1;
      while (name_end < term.size() &&
             (IsAlpha(term[name_end]) || IsDigit(term[name_end]) || term[name_end] == '-' ||
              term[name_end] == '_' || term[name_end] == '.')) {
        ++name_end;
      }
    }
    if (name_end > 0 && name_end < term.size() && term[name_end] == '=') {
      return Modifier(term.substr(0, name_end), term.substr(name_end + 1));
    }
    return DirectiveTerm(term, offset);
  }

  const std::string& error() const { return error_; }

 private:
  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  // Parses a domain-spec into Record::specs; returns its index or -1.
  int32_t Spec(std::string_view text, MacroContext context) {
    std::string why;
    auto spec = MacroString::Parse(text, context, &why);
    if (!spec) {
      Fail(why);
      return -1;
    }
    if (spec->uses_validated_name()) record_->uses_validated_name = true;
    record_->specs.push_back(std::move(*spec));
    return static_cast<int32_t>(record_->specs.size() - 1);
  }

  bool Modifier(std::string_view name, std::string_view value) {
    // RFC 7208 6: redirect and exp at most once each; unknown modifiers
    // are ignored but must still be a macro-string.
    const bool redirect = EqualsNoCase(name, "redirect");
    if (redirect || EqualsNoCase(name, "exp")) {
      int32_t& slot = redirect ? record_->redirect : record_->exp;
      if (slot >= 0) return Fail(std::string(redirect ? "redirect" : "exp") + "= appears twice");
      slot = Spec(value, MacroContext::kDomainSpec);
      return slot >= 0;
    }
    std::string why;
    if (!MacroString::Parse(value, MacroContext::kModifierValue, &why)) return Fail(why);
    return true;
  }

  bool DirectiveTerm(std::string_view term, uint32_t offset) {
    Directive directive;
    directive.term_offset = offset;
    directive.term_length = static_cast<uint32_t>(term.size());
    std::string_view rest = term;
    if (!rest.empty()) {
      switch (rest[0]) {
        case '+':
          directive.qualifier = Qualifier::kPass;
          rest.remove_prefix(1);
          break;
        case '-':
          directive.qualifier = Qualifier::kFail;
          rest.remove_prefix(1);
          break;
        case '~':
          directive.qualifier = Qualifier::kSoftfail;
          rest.remove_prefix(1);
          break;
        case '?':
          directive.qualifier = Qualifier::kNeutral;
          rest.remove_prefix(1);
          break;
        default: break;
      }
    }
    const size_t name_end = rest.find_first_of(":/");
    const std::string_view name = rest.substr(0, name_end);
    rest = name_end == std::string_view::npos ? std::string_view() : rest.substr(name_end);

    if (EqualsNoCase(name, "all")) {
      directive.mechanism = Mechanism::kAll;
      if (!rest.empty()) return Fail("\"all\" takes no argument");
      record_->has_all = true;
    } else if (EqualsNoCase(name, "include") || EqualsNoCase(name, "exists")) {
      directive.mechanism =
          EqualsNoCase(name, "include") ? Mechanism::kInclude : Mechanism::kExists;
      if (rest.size() < 2 || rest[0] != ':') return Fail("needs \":domain-spec\"");
      directive.domain_spec = Spec(rest.substr(1), MacroContext::kDomainSpec);
      if (directive.domain_spec < 0) return false;
    } else if (EqualsNoCase(name, "a") || EqualsNoCase(name, "mx")) {
      directive.mechanism = EqualsNoCase(name, "a") ? Mechanism::kA : Mechanism::kMx;
      std::string_view body;
      if (!SplitDualCidr(rest, &body, &directive, &error_)) return false;
      if (!OptionalSpec(body, &directive)) return false;
    } else if (EqualsNoCase(name, "ptr")) {
      directive.mechanism = Mechanism::kPtr;
      if (!OptionalSpec(rest, &directive)) return false;
    } else if (EqualsNoCase(name, "ip4") || EqualsNoCase(name, "ip6")) {
      const bool v4 = EqualsNoCase(name, "ip4");
      directive.mechanism = v4 ? Mechanism::kIp4 : Mechanism::kIp6;
      if (rest.size() < 2 || rest[0] != ':') return Fail("needs \":address\"");
      std::string_view network = rest.substr(1);
      const size_t slash = network.find('/');
      if (slash != std::string_view::npos) {
        uint8_t* length = v4 ? &directive.cidr4 : &directive.cidr6;
        if (!ParseCidr(network.substr(slash + 1), v4 ? 32 : 128, length)) {
          return Fail("bad CIDR length");
        }
        network = network.substr(0, slash);
      }
      if (!(v4 ? ParseIp4(network, &directive.network) : ParseIp6(network, &directive.network))) {
        return Fail(v4 ? "bad IPv4 address" : "bad IPv6 address");
      }
    } else {
      // RFC 7208 4.6.1 / 5: an unknown mechanism is a permerror.
      return Fail("unknown mechanism");
    }
    record_->directives.push_back(directive);
    return true;
  }

  // "" (the current <domain>) or ":domain-spec".
  bool OptionalSpec(std::string_view body, Directive* directive) {
    if (body.empty()) return true;
    if (body.size() < 2 || body[0] != ':') return Fail("malformed argument");
    directive->domain_spec = Spec(body.substr(1), MacroContext::kDomainSpec);
    return directive->domain_spec >= 0;
  }

  Record* record_;
  std::string error_;
};

}  // namespace

SpfResult QualifierResult(Qualifier qualifier) {
  switch (qualifier) {
    case Qualifier::kPass: return SpfResult::kPass;
    case Qualifier::kFail: return SpfResult::kFail;
    case Qualifier::kSoftfail: return SpfResult::kSoftfail;
    case Qualifier::kNeutral: return SpfResult::kNeutral;
  }
  return SpfResult::kNeutral;
}

bool QueriesDns(Mechanism mechanism) {
  switch (mechanism) {
    case Mechanism::kInclude:
    case Mechanism::kA:
    case Mechanism::kMx:
    case Mechanism::kPtr:
    case Mechanism::kExists: return true;
    case Mechanism::kAll:
    case Mechanism::kIp4:
    case Mechanism::kIp6: return false;
  }
  return false;
}

size_t Record::MemoryBytes() const {
  size_t bytes = sizeof(Record) + text.capacity() + directives.capacity() * sizeof(Directive) +
                 specs.capacity() * sizeof(MacroString);
  for (const MacroString& spec : specs) bytes += 2 * spec.text().capacity();
  return bytes;
}

bool IsSpfRecord(std::string_view text) {
  // RFC 7208 4.5: the version section is "v=spf1" ended by SP or the end.
  return text.size() >= 6 && strncasecmp(text.data(), "v=spf1", 6) == 0 &&
         (text.size() == 6 || text[6] == ' ');
}

SelectedRecord SelectRecord(const std::vector<std::string>& texts) {
  SelectedRecord selected;
  for (const std::string& text : texts) {
    if (!IsSpfRecord(text)) continue;
    if (selected.selection == Selection::kOne) {
      selected.selection = Selection::kMultiple;
      selected.text = {};
      return selected;
    }
    selected.selection = Selection::kOne;
    selected.text = text;
  }
  return selected;
}

ParsedRecord ParseRecord(std::string_view text) {
  ParsedRecord parsed;
  if (!IsSpfRecord(text)) {
    parsed.error = "not an SPF record";
    return parsed;
  }
  auto record = std::make_shared<Record>();
  record->text = std::string(text);
  Parser parser(record.get());
  // RFC 7208 12: terms = *( 1*SP ( directive / modifier ) ), then *SP.
  size_t i = 6;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view term = text.substr(i, end - i);
    if (!parser.Term(term, static_cast<uint32_t>(i))) {
      parsed.error = "term '" + std::string(term.substr(0, 64)) + "': " + parser.error();
      return parsed;
    }
    i = end;
  }
  record->directives.shrink_to_fit();
  record->specs.shrink_to_fit();
  parsed.record = std::move(record);
  return parsed;
}

}  // namespace portcullis::spf
