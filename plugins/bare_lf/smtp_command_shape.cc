#include "smtp_command_shape.h"

#include <array>

namespace portcullis::bare_lf {
namespace {

char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// `prefix` is upper case.
bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Upper(text[i]) != prefix[i]) return false;
  }
  return true;
}

bool EqualsNoCase(std::string_view text, std::string_view word) {
  return text.size() == word.size() && StartsWithNoCase(text, word);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool LooksLikeSmtpCommand(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (line.size() < 4) return false;

  // RFC 5321 4.1.1.2 / 4.1.1.3: the envelope of the smuggled message.
  if (StartsWithNoCase(line, "MAIL FROM:") || StartsWithNoCase(line, "RCPT TO:")) return true;
  // Bare verbs: the whole line, nothing else (RFC 5321 4.1.1.4, 4.1.1.5, 4.1.1.10).
  for (std::string_view verb : std::array<std::string_view, 3>{"DATA", "RSET", "QUIT"}) {
    if (EqualsNoCase(line, verb)) return true;
  }
  // RFC 3030 2: "BDAT" SP chunk-size [SP "LAST"].
  if (StartsWithNoCase(line, "BDAT ") && line.size() > 5 && IsDigit(line[5])) return true;
  // RFC 5321 4.1.1.1: "EHLO"/"HELO" SP domain-or-literal.
  if ((StartsWithNoCase(line, "EHLO ") || StartsWithNoCase(line, "HELO ")) && line.size() > 5 &&
      line[5] != ' ' && line[5] != '\t') {
    return true;
  }
  return false;
}

}  // namespace portcullis::bare_lf
