#include "dns/dns_name_syntax.h"

namespace portcullis::dns {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string_view NormalizeName(std::string_view name, NormalizedName* out) {
  out->size_ = 0;
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return "empty name";
  if (name.size() > kMaxNameChars) return "name longer than 253 characters";
  size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return "empty label";
      label = 0;
    } else if (++label > kMaxLabelOctets) {
      return "label longer than 63 octets";
    }
    out->chars_[out->size_++] = AsciiLower(c);
  }
  if (label == 0) return "empty label";  // "a.." stripped to "a."
  return {};
}

std::vector<uint8_t> NameToWire(std::string_view normalized) {
  std::vector<uint8_t> wire;
  wire.reserve(normalized.size() + 2);
  while (!normalized.empty()) {
    size_t dot = normalized.find('.');
    std::string_view label = normalized.substr(0, dot);
    wire.push_back(static_cast<uint8_t>(label.size()));
    wire.insert(wire.end(), label.begin(), label.end());
    if (dot == std::string_view::npos) break;
    normalized.remove_prefix(dot + 1);
  }
  wire.push_back(0);
  return wire;
}

std::string WireToName(const uint8_t* wire, size_t size) {
  std::string name;
  size_t pos = 0;
  while (pos < size) {
    size_t length = wire[pos];
    // Compression pointers never appear in ldns' uncompressed rdata; a
    // length past the end means a malformed name: return what we have.
    if (length == 0 || length > kMaxLabelOctets || pos + 1 + length > size) break;
    if (!name.empty()) name += '.';
    for (size_t i = 0; i < length; ++i) name += AsciiLower(static_cast<char>(wire[pos + 1 + i]));
    pos += 1 + length;
  }
  return name;
}

bool WireNamesEqual(const uint8_t* a, size_t a_size, const uint8_t* b, size_t b_size) {
  if (a_size != b_size) return false;
  // Length octets are below 64 and so never change under AsciiLower.
  for (size_t i = 0; i < a_size; ++i) {
    if (AsciiLower(static_cast<char>(a[i])) != AsciiLower(static_cast<char>(b[i]))) return false;
  }
  return true;
}

}  // namespace portcullis::dns
