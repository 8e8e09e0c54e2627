#include "mime/charset_decoder.h"

#include <errno.h>
#include <iconv.h>

#include <cstring>

#include "portcullis/transaction_info.h"

namespace portcullis::mime {
namespace {

// The charset names we pass to iconv_open are limited to what charset
// labels look like; anything else is "unknown" without asking iconv.
constexpr size_t kMaxCharsetNameBytes = 40;
// No charset iconv supports has a sequence longer than this; a longer
// "incomplete" tail means iconv is stuck and the byte is skipped instead.
constexpr size_t kMaxCarryBytes = 16;

// windows-1252 0x80..0x9F (0 where undefined: those bytes map to U+FFFD).
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

bool PlausibleName(std::string_view name) {
  if (name.empty() || name.size() > kMaxCharsetNameBytes) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// Labels iconv spells differently or that real mail misuses.
std::string IconvName(const std::string& name) {
  if (name == "iso-8859-1" || name == "iso8859-1" || name == "latin1" || name == "l1" ||
      name == "cp1252" || name == "windows-1252" || name == "x-cp1252") {
    return "WINDOWS-1252";
  }
  if (name == "ks_c_5601-1987" || name == "ks_c_5601" || name == "euc-kr") return "CP949";
  if (name == "gb2312" || name == "gbk" || name == "x-gbk") return "GB18030";
  if (name == "x-sjis" || name == "shift-jis" || name == "sjis") return "SHIFT_JIS";
  if (name == "iso-8859-8-i") return "ISO-8859-8";
  return name;
}

// Length of the valid UTF-8 sequence at `p` (1..4); 0 when invalid; -1 when
// it is a valid prefix cut by the end of the input.
int Utf8Length(const unsigned char* p, size_t n) {
  const unsigned char b = p[0];
  if (b < 0x80) return 1;
  int len;
  uint32_t min;
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
    min = 0x80;
  } else if ((b & 0xF0) == 0xE0) {
    len = 3;
    min = 0x800;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  uint32_t cp = b & (0x3F >> (len - 1));
  for (int k = 1; k < len; ++k) {
    if (static_cast<size_t>(k) >= n) return -1;
    if ((p[k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[k] & 0x3F);
    // Reject overlongs, surrogates and > U+10FFFF as early as the second
    // byte decides them, so a bad prefix is not carried.
    if (k == 1 && len == 3 && ((b == 0xE0 && p[1] < 0xA0) || (b == 0xED && p[1] >= 0xA0))) return 0;
    if (k == 1 && len == 4 && ((b == 0xF0 && p[1] < 0x90) || (b == 0xF4 && p[1] >= 0x90))) return 0;
  }
  if (cp < min) return 0;
  return len;
}

void AppendCp1252(unsigned char b, std::string* out) {
  if (b >= 0x80 && b <= 0x9F) {
    const uint16_t cp = kCp1252High[b - 0x80];
    if (cp == 0) {
      out->append(kReplacementChar);
    } else {
      AppendUtf8(cp, out);
    }
  } else {
    AppendUtf8(b, out);
  }
}

}  // namespace

void AppendUtf8(uint32_t cp, std::string* out) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    out->append(kReplacementChar);
  } else if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsAscii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string Utf8WithFallback(std::string_view bytes) {
  if (IsAscii(bytes)) return std::string(bytes);
  CharsetDecoder decoder("");
  std::string out;
  decoder.Feed(bytes, &out);
  decoder.Finish(&out);
  return out;
}

CharsetDecoder::CharsetDecoder(std::string_view charset) {
  const std::string name = ToLower(charset);
  if (name.empty() || name == "us-ascii" || name == "ascii" || name == "us_ascii") {
    mode_ = Mode::kFallback;
    return;
  }
  if (name == "utf-8" || name == "utf8") {
    mode_ = Mode::kUtf8;
    return;
  }
  if (PlausibleName(name)) {
    iconv_t cd = iconv_open("UTF-8", IconvName(name).c_str());
    if (cd != reinterpret_cast<iconv_t>(-1)) {
      iconv_ = cd;
      mode_ = Mode::kIconv;
      return;
    }
  }
  mode_ = Mode::kFallback;
  known_ = false;
}

CharsetDecoder::~CharsetDecoder() {
  if (iconv_) iconv_close(static_cast<iconv_t>(iconv_));
}

void CharsetDecoder::Feed(std::string_view in, std::string* out) {
  if (mode_ == Mode::kIconv) {
    FeedIconv(in, out);
  } else {
    FeedUtf8(in, mode_ == Mode::kFallback, out);
  }
}

void CharsetDecoder::FeedUtf8(std::string_view in, bool fallback, std::string* out) {
  std::string joined;
  if (!carry_.empty()) {
    joined = carry_;
    joined.append(in);
    in = joined;
    carry_.clear();
  }
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  size_t i = 0;
  while (i < n) {
    // Fast path: a run of ASCII.
    size_t run = i;
    while (run < n && p[run] < 0x80) ++run;
    if (run > i) {
      out->append(in.substr(i, run - i));
      i = run;
      continue;
    }
    const int len = Utf8Length(p + i, n - i);
    if (len < 0) {
      carry_.assign(in.substr(i));
      return;
    }
    if (len == 0) {
      if (fallback) {
        AppendCp1252(p[i], out);
      } else {
        out->append(kReplacementChar);
      }
      ++i;
      continue;
    }
    out->append(in.substr(i, static_cast<size_t>(len)));
    i += static_cast<size_t>(len);
  }
}

void CharsetDecoder::FeedIconv(std::string_view in, std::string* out) {
  std::string joined;
  if (!carry_.empty()) {
    joined = carry_;
    joined.append(in);
    in = joined;
    carry_.clear();
  }
  auto cd = static_cast<iconv_t>(iconv_);
  char* src = const_cast<char*>(in.data());
  size_t left = in.size();
  char buffer[4096];
  while (left > 0) {
    char* dst = buffer;
    size_t room = sizeof buffer;
    const size_t rc = iconv(cd, &src, &left, &dst, &room);
    const int err = errno;
    out->append(buffer, static_cast<size_t>(dst - buffer));
    if (rc != static_cast<size_t>(-1)) break;
    if (err == E2BIG) continue;
    if (err == EINVAL && left <= kMaxCarryBytes) {
      carry_.assign(src, left);
      return;
    }
    // EILSEQ (or a stuck EINVAL): one byte is not convertible.
    out->append(kReplacementChar);
    ++src;
    --left;
  }
}

void CharsetDecoder::Finish(std::string* out) {
  if (!carry_.empty()) {
    // A lead byte without its continuation: in the fallback it is a
    // windows-1252 character like any other invalid byte.
    if (mode_ == Mode::kFallback) {
      for (char c : carry_) AppendCp1252(static_cast<unsigned char>(c), out);
    } else {
      out->append(kReplacementChar);
    }
    carry_.clear();
  }
  if (mode_ == Mode::kIconv) {
    // Return a stateful encoding (ISO-2022-JP) to its initial state.
    char buffer[64];
    char* dst = buffer;
    size_t room = sizeof buffer;
    iconv(static_cast<iconv_t>(iconv_), nullptr, nullptr, &dst, &room);
    out->append(buffer, static_cast<size_t>(dst - buffer));
  }
}

}  // namespace portcullis::mime
