#include "mime/transfer_decoder.h"

#include <cstdint>

namespace portcullis::mime {
namespace {

// RFC 4648 4: the base64 alphabet; -1 not in it, -2 whitespace (ignored,
// RFC 2045 6.8: "all line breaks or other characters not found in Table 1
// must be ignored by decoding software" -- we ignore whitespace silently and
// flag the rest).
constexpr int8_t kNotBase64 = -1;
constexpr int8_t kSpace = -2;

struct Base64Table {
  int8_t value[256];
  constexpr Base64Table() : value() {
    for (int i = 0; i < 256; ++i) value[i] = kNotBase64;
    for (int i = 0; i < 26; ++i) {
      value['A' + i] = static_cast<int8_t>(i);
      value['a' + i] = static_cast<int8_t>(26 + i);
    }
    for (int i = 0; i < 10; ++i) value['0' + i] = static_cast<int8_t>(52 + i);
    value[static_cast<int>('+')] = 62;
    value[static_cast<int>('/')] = 63;
    value[static_cast<int>(' ')] = kSpace;
    value[static_cast<int>('\t')] = kSpace;
    value[static_cast<int>('\r')] = kSpace;
    value[static_cast<int>('\n')] = kSpace;
  }
};
constexpr Base64Table kBase64;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  // RFC 2045 6.7 (1) wants upper case but says decoders may accept lower.
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

// Whitespace at the end of a piece of a cut line is held back (it may turn
// out to be trailing whitespace, which is deleted) up to this much.
constexpr size_t kMaxQpHeldSpace = 1024;

}  // namespace

void TransferDecoder::Feed(std::string_view line, bool complete, std::string* out) {
  switch (kind_) {
    case Kind::kIdentity: out->append(line); break;
    case Kind::kBase64: FeedBase64(line, out); break;
    case Kind::kQuotedPrintable: FeedQp(line, complete, out); break;
  }
}

void TransferDecoder::NewLine(std::string* out) {
  if (kind_ == Kind::kIdentity) {
    out->append("\r\n");
  } else if (kind_ == Kind::kQuotedPrintable) {
    // RFC 2045 6.7 (5): "=" at the end of an encoded line is a soft line
    // break; any other line end is a hard one, CRLF in canonical form.
    if (!qp_carry_.empty()) {  // "=X" cut by the line end: keep literally
      bad_ = true;
      out->append(qp_carry_);
      qp_carry_.clear();
    }
    if (!soft_break_) out->append("\r\n");
    soft_break_ = false;
  }
}

void TransferDecoder::FeedBase64(std::string_view in, std::string* out) {
  for (char ch : in) {
    const int8_t v = kBase64.value[static_cast<unsigned char>(ch)];
    if (v >= 0) {
      if (padded_) padded_ = false;  // data after padding: a new encoding run
      group_ = (group_ << 6) | static_cast<unsigned>(v);
      if (++group_count_ == 4) {
        out->push_back(static_cast<char>((group_ >> 16) & 0xFF));
        out->push_back(static_cast<char>((group_ >> 8) & 0xFF));
        out->push_back(static_cast<char>(group_ & 0xFF));
        group_ = 0;
        group_count_ = 0;
      }
    } else if (ch == '=') {
      // RFC 4648 3.5: padding ends the group; decode what it holds.
      if (!padded_) Finish(out);
      padded_ = true;
    } else if (v == kNotBase64) {
      bad_ = true;
    }
  }
}

void TransferDecoder::FeedQp(std::string_view in, bool complete, std::string* out) {
  std::string joined;
  if (!qp_carry_.empty()) {
    joined = qp_carry_;
    joined.append(in);
    in = joined;
    qp_carry_.clear();
  }
  size_t end = in.size();
  if (!complete) {
    size_t space = end;
    while (space > 0 && IsWsp(in[space - 1])) --space;
    if (end - space <= kMaxQpHeldSpace && space < end) {
      std::string held(in.substr(space));
      FeedQp(in.substr(0, space), false, out);
      qp_carry_ += held;
      return;
    }
  }
  if (complete) {
    // RFC 2045 6.7 (3): trailing whitespace was added in transport and must
    // be deleted.
    while (end > 0 && IsWsp(in[end - 1])) --end;
    if (end > 0 && in[end - 1] == '=') {
      soft_break_ = true;
      --end;
      while (end > 0 && IsWsp(in[end - 1])) --end;  // "text =" pads too
    }
  }
  size_t i = 0;
  while (i < end) {
    const size_t eq = in.find('=', i);
    if (eq == std::string_view::npos || eq >= end) {
      out->append(in.substr(i, end - i));
      break;
    }
    out->append(in.substr(i, eq - i));
    if (!complete && end - eq < 3) {  // "=" or "=X" at the end of a piece
      qp_carry_.assign(in.substr(eq, end - eq));
      return;
    }
    const int hi = eq + 1 < end ? HexValue(in[eq + 1]) : -1;
    const int lo = eq + 2 < end ? HexValue(in[eq + 2]) : -1;
    if (hi >= 0 && lo >= 0) {
      out->push_back(static_cast<char>(hi * 16 + lo));
      i = eq + 3;
    } else {
      // Malformed "=": RFC 2045 6.7 suggests keeping it as it is.
      bad_ = true;
      out->push_back('=');
      i = eq + 1;
    }
  }
}

void TransferDecoder::Finish(std::string* out) {
  if (kind_ == Kind::kBase64) {
    if (group_count_ == 1) bad_ = true;  // 6 bits make no byte
    if (group_count_ == 2) {
      out->push_back(static_cast<char>((group_ >> 4) & 0xFF));
    } else if (group_count_ == 3) {
      out->push_back(static_cast<char>((group_ >> 10) & 0xFF));
      out->push_back(static_cast<char>((group_ >> 2) & 0xFF));
    }
    group_ = 0;
    group_count_ = 0;
  } else if (kind_ == Kind::kQuotedPrintable && !qp_carry_.empty()) {
    bad_ = true;
    out->append(qp_carry_);
    qp_carry_.clear();
  }
}

}  // namespace portcullis::mime
