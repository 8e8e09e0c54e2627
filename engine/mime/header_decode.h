// Header field values as checks see them: unfolded (RFC 5322 2.2.3) and
// with RFC 2047 encoded words decoded to UTF-8. Pure functions, any thread.
#pragma once

#include <string>
#include <string_view>

namespace portcullis::mime {

// What decoding found wrong; the parser turns these into anomalies.
struct HeaderDecodeFlags {
  bool bad_encoded_word = false;  // malformed encoded word (kept literally)
  bool bad_charset = false;       // encoded word in a charset we cannot convert
  bool eight_bit = false;         // raw bytes >= 0x80 (RFC 5322 allows none)
};

// Removes CR and LF (a fold is CRLF followed by WSP: removing the CRLF
// leaves the WSP, RFC 5322 2.2.3) and trims leading and trailing WSP.
std::string Unfold(std::string_view raw);

// Unfold() and then RFC 2047: "=?charset?B|Q?text?=" words decoded, the
// whitespace between two adjacent encoded words dropped (6.2), adjacent
// words in one charset joined before conversion so that a character split
// across two words survives. Raw 8-bit text is read as UTF-8 with a
// windows-1252 fallback. `flags` may be null.
std::string DecodeHeaderValue(std::string_view raw, HeaderDecodeFlags* flags);

// RFC 2047 decoding of an already unfolded text (used for parameter values
// that mailers encode against the rules, such as name="=?utf-8?B?...?=").
std::string DecodeEncodedWords(std::string_view text, HeaderDecodeFlags* flags);

}  // namespace portcullis::mime
