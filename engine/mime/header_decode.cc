#include "mime/header_decode.h"

#include <vector>

#include "mime/charset_decoder.h"
#include "mime/transfer_decoder.h"

namespace portcullis::mime {
namespace {

// RFC 2047 2 limits an encoded word to 75 characters; mailers exceed it,
// so we accept up to this before treating "=?" as plain text.
constexpr size_t kMaxEncodedWordBytes = 4096;

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

struct EncodedWord {
  std::string charset;  // lower-case, RFC 2231 "*language" removed
  std::string bytes;    // decoded, still in `charset`
  size_t length = 0;    // of the whole "=?...?=" in the input
};

// Parses an encoded word at the start of `s`; false when `s` does not start
// with a well-formed one (`*bad` set when it looked like one but was not).
bool ParseEncodedWord(std::string_view s, EncodedWord* word, bool* bad) {
  if (s.size() < 8 || s[0] != '=' || s[1] != '?') return false;
  const size_t q1 = s.find('?', 2);
  if (q1 == std::string_view::npos || q1 + 2 >= s.size() || s[q1 + 2] != '?') return false;
  const size_t end = s.find("?=", q1 + 3);
  if (end == std::string_view::npos || end + 2 > kMaxEncodedWordBytes) return false;
  std::string_view charset = s.substr(2, q1 - 2);
  const char encoding = s[q1 + 1];
  std::string_view text = s.substr(q1 + 3, end - q1 - 3);
  if (charset.empty() || text.find_first_of(" \t") != std::string_view::npos) return false;
  if (const size_t star = charset.find('*'); star != std::string_view::npos) {
    charset = charset.substr(0, star);  // RFC 2231 5: charset*language
  }
  word->charset.clear();
  for (char c : charset) word->charset.push_back(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  word->bytes.clear();
  word->length = end + 2;
  if (encoding == 'B' || encoding == 'b') {
    TransferDecoder decoder(TransferDecoder::Kind::kBase64);
    decoder.Feed(text, true, &word->bytes);
    decoder.Finish(&word->bytes);
    if (decoder.saw_bad_input()) {
      // RFC 2047 6.3: a word that cannot be decoded is shown as it is.
      *bad = true;
      return false;
    }
    return true;
  }
  if (encoding == 'Q' || encoding == 'q') {
    // RFC 2047 4.2: "_" is a space, "=XX" a byte.
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '_') {
        word->bytes.push_back(' ');
      } else if (c == '=' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
                 HexValue(text[i + 2]) >= 0) {
        word->bytes.push_back(
            static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
        i += 2;
      } else {
        if (c == '=') *bad = true;
        word->bytes.push_back(c);
      }
    }
    return true;
  }
  *bad = true;  // unknown encoding: left as text
  return false;
}

std::string Convert(const std::string& charset, std::string_view bytes, HeaderDecodeFlags* flags) {
  CharsetDecoder decoder(charset);
  if (!decoder.known() && flags) flags->bad_charset = true;
  std::string out;
  decoder.Feed(bytes, &out);
  decoder.Finish(&out);
  return out;
}

}  // namespace

std::string Unfold(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  size_t begin = 0;
  while (begin < out.size() && IsWsp(out[begin])) ++begin;
  size_t end = out.size();
  while (end > begin && IsWsp(out[end - 1])) --end;
  return out.substr(begin, end - begin);
}

std::string DecodeEncodedWords(std::string_view text, HeaderDecodeFlags* flags) {
  if (!IsAscii(text) && flags) flags->eight_bit = true;
  if (text.find("=?") == std::string_view::npos) return Utf8WithFallback(text);
  std::string out;
  std::string run_charset;  // the run of adjacent encoded words being joined
  std::string run_bytes;
  bool in_run = false;
  auto flush_run = [&] {
    if (in_run) out += Convert(run_charset, run_bytes, flags);
    in_run = false;
    run_bytes.clear();
  };
  size_t i = 0;
  size_t literal_start = 0;
  while (i < text.size()) {
    const size_t at = text.find("=?", i);
    if (at == std::string_view::npos) break;
    EncodedWord word;
    bool bad = false;
    if (!ParseEncodedWord(text.substr(at), &word, &bad)) {
      if (bad && flags) flags->bad_encoded_word = true;
      i = at + 2;
      continue;
    }
    if (bad && flags) flags->bad_encoded_word = true;
    std::string_view between = text.substr(literal_start, at - literal_start);
    bool only_space = true;
    for (char c : between) only_space = only_space && IsWsp(c);
    // RFC 2047 6.2: whitespace between adjacent encoded words is dropped.
    if (!(in_run && only_space)) {
      flush_run();
      out += Utf8WithFallback(between);
    }
    if (in_run && word.charset != run_charset) flush_run();
    if (!in_run) {
      in_run = true;
      run_charset = word.charset;
    }
    run_bytes += word.bytes;
    i = at + word.length;
    literal_start = i;
  }
  flush_run();
  out += Utf8WithFallback(text.substr(literal_start));
  return out;
}

std::string DecodeHeaderValue(std::string_view raw, HeaderDecodeFlags* flags) {
  return DecodeEncodedWords(Unfold(raw), flags);
}

}  // namespace portcullis::mime
