#include "dkim_tag_list.h"

#include <array>
#include <cstdint>

namespace portcullis::dkim {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// RFC 6376 3.2: VALCHAR = %x21-3A / %x3C-7E (printable ASCII except ";").
bool IsValChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x21 && byte <= 0x7e && c != ';';
}

size_t SkipFws(std::string_view text, size_t pos) {
  while (pos < text.size() && IsFws(text[pos])) ++pos;
  return pos;
}

}  // namespace

const Tag* TagList::Find(std::string_view name) const {
  for (const Tag& tag : tags) {
    if (tag.name == name) return &tag;
  }
  return nullptr;
}

std::optional<TagList> ParseTagList(std::string_view text, std::string* error) {
  TagList list;
  size_t pos = 0;
  while (pos < text.size()) {
    pos = SkipFws(text, pos);
    // RFC 6376 3.2: tag-list = tag-spec *( ";" tag-spec ) [ ";" ] — a
    // trailing ";" (and FWS after it) ends the list.
    if (pos == text.size()) break;
    // tag-name = ALPHA *ALNUMPUNC
    const size_t name_begin = pos;
    if (!IsAlpha(text[pos])) {
      *error = "tag list: expected a tag name at offset " + std::to_string(pos);
      return std::nullopt;
    }
    while (pos < text.size() && (IsAlpha(text[pos]) || IsDigit(text[pos]) || text[pos] == '_')) {
      ++pos;
    }
    const std::string_view name = text.substr(name_begin, pos - name_begin);
    pos = SkipFws(text, pos);
    if (pos == text.size() || text[pos] != '=') {
      *error = "tag list: no '=' after tag '" + std::string(name) + "'";
      return std::nullopt;
    }
    ++pos;
    const size_t raw_begin = pos;
    size_t end = pos;
    while (end < text.size() && text[end] != ';') {
      if (!IsFws(text[end]) && !IsValChar(text[end])) {
        *error = "tag list: invalid character in the value of '" + std::string(name) + "'";
        return std::nullopt;
      }
      ++end;
    }
    size_t value_begin = SkipFws(text, raw_begin);
    size_t value_end = end;
    while (value_end > value_begin && IsFws(text[value_end - 1])) --value_end;
    if (list.Find(name)) {
      *error = "duplicate tag '" + std::string(name) + "'";
      return std::nullopt;
    }
    if (list.tags.size() == kMaxTags) {
      *error = "more than " + std::to_string(kMaxTags) + " tags";
      return std::nullopt;
    }
    list.tags.push_back(
        Tag{name, text.substr(value_begin, value_end - value_begin), raw_begin, end});
    pos = end;
    if (pos < text.size()) ++pos;  // the ";"
  }
  return list;
}

std::string StripFws(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (!IsFws(c)) out.push_back(c);
  }
  return out;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  static const std::array<int8_t, 256> kValues = [] {
    std::array<int8_t, 256> values{};
    values.fill(-1);
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i)
      values[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
    return values;
  }();
  const std::string compact = StripFws(text);
  if (compact.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(compact.size() / 4 * 3);
  for (size_t i = 0; i < compact.size(); i += 4) {
    const bool last = i + 4 == compact.size();
    int pad = 0;
    uint32_t group = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = compact[i + j];
      if (c == '=') {
        // Padding only in the last group's last one or two places.
        if (!last || j < 2) return std::nullopt;
        ++pad;
        group <<= 6;
        continue;
      }
      if (pad > 0) return std::nullopt;  // data after padding
      const int8_t value = kValues[static_cast<unsigned char>(c)];
      if (value < 0) return std::nullopt;
      group = (group << 6) | static_cast<uint32_t>(value);
    }
    out.push_back(static_cast<char>((group >> 16) & 0xff));
    if (pad < 2) out.push_back(static_cast<char>((group >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(group & 0xff));
  }
  return out;
}

}  // namespace portcullis::dkim
