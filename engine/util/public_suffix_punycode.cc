// RFC 3492 Punycode, encoder only: the list writes IDN rules in Unicode,
// mail carries A-labels, so rules are converted once at load time.
#include <cstdint>
#include <vector>

#include "portcullis/public_suffix.h"

namespace portcullis {
namespace {

// RFC 3492 5: the Punycode parameters.
constexpr uint32_t kBase = 36;
constexpr uint32_t kTmin = 1;
constexpr uint32_t kTmax = 26;
constexpr uint32_t kSkew = 38;
constexpr uint32_t kDamp = 700;
constexpr uint32_t kInitialBias = 72;
constexpr uint32_t kInitialN = 128;
// RFC 5890 2.3.2.1: a label is at most 63 octets; more code points than
// that can never make a valid A-label, and it bounds the O(n^2) loop.
constexpr size_t kMaxCodePoints = 63;

std::optional<std::vector<uint32_t>> DecodeUtf8(std::string_view text) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    uint32_t cp;
    size_t extra;
    if (byte < 0x80) {
      cp = byte;
      extra = 0;
    } else if ((byte & 0xE0) == 0xC0) {
      cp = byte & 0x1F;
      extra = 1;
    } else if ((byte & 0xF0) == 0xE0) {
      cp = byte & 0x0F;
      extra = 2;
    } else if ((byte & 0xF8) == 0xF0) {
      cp = byte & 0x07;
      extra = 3;
    } else {
      return std::nullopt;
    }
    if (i + extra >= text.size()) return std::nullopt;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    out.push_back(cp);
    if (out.size() > kMaxCodePoints) return std::nullopt;
    i += extra + 1;
  }
  return out;
}

char EncodeDigit(uint32_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); }

uint32_t Adapt(uint32_t delta, uint32_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  uint32_t k = 0;
  while (delta > ((kBase - kTmin) * kTmax) / 2) {
    delta /= kBase - kTmin;
    k += kBase;
  }
  return k + (kBase - kTmin + 1) * delta / (delta + kSkew);
}

}  // namespace

std::optional<std::string> ToALabel(std::string_view utf8_label) {
  auto decoded = DecodeUtf8(utf8_label);
  if (!decoded) return std::nullopt;
  const std::vector<uint32_t>& input = *decoded;
  std::string output;
  for (uint32_t cp : input) {
    if (cp < 0x80) {
      output.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
    }
  }
  const size_t basic = output.size();
  if (basic == input.size()) return output;  // all ASCII: not an IDN
  if (basic > 0) output.push_back('-');

  // RFC 3492 6.3, with 64-bit arithmetic (inputs are at most 63 code
  // points, so no overflow is possible).
  uint64_t n = kInitialN;
  uint64_t delta = 0;
  uint32_t bias = kInitialBias;
  size_t handled = basic;
  while (handled < input.size()) {
    uint64_t m = UINT64_MAX;
    for (uint32_t cp : input) {
      if (cp >= n && cp < m) m = cp;
    }
    delta += (m - n) * (handled + 1);
    n = m;
    for (uint32_t cp : input) {
      if (cp < n) ++delta;
      if (cp != n) continue;
      uint64_t q = delta;
      for (uint32_t k = kBase;; k += kBase) {
        const uint32_t t = k <= bias ? kTmin : (k >= bias + kTmax ? kTmax : k - bias);
        if (q < t) break;
        output.push_back(EncodeDigit(static_cast<uint32_t>(t + (q - t) % (kBase - t))));
        q = (q - t) / (kBase - t);
      }
      output.push_back(EncodeDigit(static_cast<uint32_t>(q)));
      bias =
          Adapt(static_cast<uint32_t>(delta), static_cast<uint32_t>(handled + 1), handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return "xn--" + output;
}

}  // namespace portcullis
