// SPF's macro language (RFC 7208 section 7): a macro-string parsed once into
// tokens when its record is parsed, and expanded per evaluation.
//
// A MacroString is immutable after Parse and shared by every evaluation that
// uses its cached record (any thread). Expand is a pure function of the
// string and the inputs; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/ip_address.h"

namespace portcullis::spf {

// Security: one expansion's output is bounded whatever a record says (a
// record of "%{i}%{i}%{i}..." or a 64 KB explanation full of %{s}). Domain
// names keep exact RFC 7208 7.3 semantics under this bound: labels that the
// final 253-octet truncation would drop anyway are dropped as soon as the
// buffer passes it. Explanations are cut here; replies take at most 400
// characters of them anyway (smtp_reply.h kMaxReplyText).
inline constexpr size_t kMaxMacroOutput = 1024;

// Where a macro-string appears; decides what the grammar allows.
enum class MacroContext {
  kDomainSpec,     // 7.1 domain-spec: ends in "." toplabel or a macro-expand;
                   // the letters c, r, t are refused (7.2: exp text only)
  kExplainString,  // 6.2 / 7.1 explain-string: spaces and every letter allowed
  kModifierValue,  // 6 unknown-modifier value: a macro-string, never expanded
};

// What the macro letters expand to for one check_host() call (7.2, 7.3).
struct MacroInputs {
  std::string_view sender;                      // s: <sender> with local-part substituted
  std::string_view local_part;                  // l
  std::string_view sender_domain;               // o
  std::string_view domain;                      // d: the current <domain>
  const IpAddress* ip = nullptr;                // i, c, v: the client (IPv4-mapped unmapped)
  std::string_view validated_name = "unknown";  // p (5.5); "unknown" if none
  std::string_view helo;                        // h
  std::string_view receiver = "unknown";        // r: the checking host (7.3)
  int64_t now = 0;                              // t: seconds since the epoch
};

class MacroString {
 public:
  // Parses `text`; nullopt with `error` set on a syntax error (a permerror
  // for the record that holds it).
  static std::optional<MacroString> Parse(std::string_view text, MacroContext context,
                                          std::string* error);

  // The expansion. For kDomainSpec strings the result is truncated per 7.3
  // and is "" when no valid name can result (a label longer than the output
  // bound); for explanations it is cut at kMaxMacroOutput.
  std::string Expand(const MacroInputs& inputs) const;

  bool uses_validated_name() const { return uses_p_; }  // contains %{p}
  bool is_literal() const { return literal_; }          // no macro letters
  const std::string& text() const { return text_; }     // as written

 private:
  struct Token {
    uint32_t offset = 0;     // literal: into literals_
    uint32_t length = 0;     // literal length; 0 for a macro
    char letter = 0;         // lower-case macro letter; 0 for a literal
    bool escape = false;     // upper-case letter: URL-escape the value
    bool reverse = false;    // "r" transformer
    uint16_t keep = 0;       // rightmost parts to keep; 0 = all
    uint8_t delimiters = 0;  // bit per kDelimiters character; 0 = "."
  };

  MacroString() = default;
  void AppendValue(const Token& token, const MacroInputs& inputs, std::string* value) const;

  std::string text_;
  std::string literals_;
  std::vector<Token> tokens_;
  bool domain_ = false;
  bool uses_p_ = false;
  bool literal_ = true;
};

}  // namespace portcullis::spf
