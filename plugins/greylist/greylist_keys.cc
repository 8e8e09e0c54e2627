#include "greylist_keys.h"

#include <charconv>
#include <vector>

namespace portcullis::greylist {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

// Splits "a b c" on single spaces.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const size_t space = text.find(' ');
    words.push_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text = text.substr(space + 1);
  }
  return words;
}

}  // namespace

std::string EscapeKeyPart(std::string_view text) {
  text = text.substr(0, kMaxAddressInKey);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '%' || c == '|' || byte <= 0x20 || byte >= 0x7f) {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> UnescapeKeyPart(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::string TripletKey(const Triplet& triplet) {
  return std::string(kTripletPrefix) + triplet.network + "|" + EscapeKeyPart(triplet.sender) + "|" +
         EscapeKeyPart(triplet.recipient);
}

std::string CounterKey(std::string_view network) {
  return std::string(kCounterPrefix) + std::string(network);
}

std::string AllowKey(std::string_view network) {
  return std::string(kAllowPrefix) + std::string(network);
}

std::string NetworkTripletPrefix(std::string_view network) {
  return std::string(kTripletPrefix) + std::string(network) + "|";
}

std::optional<Triplet> ParseTripletKey(std::string_view key) {
  const std::string_view prefix = kTripletPrefix;
  if (!key.starts_with(prefix)) return std::nullopt;
  key.remove_prefix(prefix.size());
  const size_t first = key.find('|');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = key.find('|', first + 1);
  if (second == std::string_view::npos || key.find('|', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<std::string> sender = UnescapeKeyPart(key.substr(first + 1, second - first - 1));
  std::optional<std::string> recipient = UnescapeKeyPart(key.substr(second + 1));
  if (first == 0 || !sender || !recipient) return std::nullopt;
  return Triplet{std::string(key.substr(0, first)), *sender, *recipient};
}

std::string EncodeTriplet(const TripletValue& value) {
  if (!value.passed) return "pending " + std::to_string(value.first_seen);
  return "passed " + std::to_string(value.first_seen) + " " + std::to_string(value.passed_at);
}

std::optional<TripletValue> DecodeTriplet(std::string_view text) {
  const std::vector<std::string_view> words = Words(text);
  TripletValue value;
  if (words.size() == 2 && words[0] == "pending") {
    std::optional<int64_t> first = ParseInt(words[1]);
    if (!first) return std::nullopt;
    value.first_seen = *first;
    return value;
  }
  if (words.size() == 3 && words[0] == "passed") {
    std::optional<int64_t> first = ParseInt(words[1]);
    std::optional<int64_t> passed = ParseInt(words[2]);
    if (!first || !passed) return std::nullopt;
    value.passed = true;
    value.first_seen = *first;
    value.passed_at = *passed;
    return value;
  }
  return std::nullopt;
}

std::string EncodeAllow(int64_t added_at) { return "manual " + std::to_string(added_at); }

std::optional<int64_t> DecodeAllow(std::string_view text) {
  const std::vector<std::string_view> words = Words(text);
  if (words.size() != 2 || words[0] != "manual") return std::nullopt;
  return ParseInt(words[1]);
}

}  // namespace portcullis::greylist
