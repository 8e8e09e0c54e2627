// Streaming conversion of a declared charset to UTF-8 for the MIME parser.
//
// One CharsetDecoder per text part (or per encoded-word run in a header),
// owned by its user and used by one thread. Feed() may end in the middle of
// a multibyte sequence: the incomplete tail is carried to the next Feed(), so
// output does not depend on where chunk boundaries fall.
//
// Policy (what real mail needs rather than what the labels say):
//  - "utf-8": validated; invalid bytes become U+FFFD.
//  - no charset, "us-ascii", or a charset iconv does not know: valid UTF-8
//    sequences pass through and every other byte is read as windows-1252.
//    Undeclared 8-bit text is overwhelmingly UTF-8 or windows-1252 in
//    practice; the mix keeps both readable. known() is false for an unknown
//    declared charset so the caller can flag MIME_BAD_CHARSET.
//  - "iso-8859-1" is read as windows-1252 (the WHATWG Encoding Standard does
//    the same: mailers label cp1252 text latin-1 all the time).
//  - anything else: glibc iconv; undecodable bytes become U+FFFD.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace portcullis::mime {

class CharsetDecoder {
 public:
  // `charset` as declared (any case, quotes already removed).
  explicit CharsetDecoder(std::string_view charset);
  ~CharsetDecoder();
  CharsetDecoder(const CharsetDecoder&) = delete;
  CharsetDecoder& operator=(const CharsetDecoder&) = delete;

  // False when a charset was declared that we cannot convert.
  bool known() const { return known_; }
  // Appends the UTF-8 for `in` to `out`.
  void Feed(std::string_view in, std::string* out);
  // End of input: an incomplete sequence left over becomes U+FFFD.
  void Finish(std::string* out);

 private:
  enum class Mode { kUtf8, kFallback, kIconv };
  void FeedUtf8(std::string_view in, bool fallback, std::string* out);
  void FeedIconv(std::string_view in, std::string* out);

  Mode mode_ = Mode::kFallback;
  bool known_ = true;
  void* iconv_ = nullptr;  // iconv_t
  std::string carry_;      // an incomplete multibyte sequence
};

// Appends code point `cp` as UTF-8 (U+FFFD for surrogates and > U+10FFFF).
void AppendUtf8(uint32_t cp, std::string* out);

// `bytes` as UTF-8: valid sequences kept, other bytes as windows-1252 (the
// fallback above), for raw 8-bit header text.
std::string Utf8WithFallback(std::string_view bytes);

// True when every byte is below 0x80.
bool IsAscii(std::string_view bytes);

inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace portcullis::mime
