// Query names: validation and normalisation of the text a caller passes to
// Resolver::Lookup, and conversion between that text and the DNS wire form.
//
// A normalised name is lower-case ASCII (other bytes untouched: RFC 4343 2
// makes only A-Z case-insensitive) without the trailing dot. Any byte is
// allowed inside a label, underscores included: SPF macros (RFC 7208 7) can
// expand to odd names, and DNS carries them. Only the RFC 1035 2.3.4 lengths
// and empty labels make a name unusable.
//
// Pure functions and a value type; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::dns {

// RFC 1035 2.3.4: labels are 63 octets or less.
inline constexpr size_t kMaxLabelOctets = 63;
// RFC 1035 2.3.4: names are 255 octets or less on the wire, which is 253
// characters of text without the final dot (the wire form adds a length
// octet before the first label and the root's zero octet).
inline constexpr size_t kMaxNameChars = 253;
inline constexpr size_t kMaxWireNameOctets = 255;

// A normalised name kept in a fixed buffer, so that the cache-hit path of a
// lookup normalises without allocating.
class NormalizedName {
 public:
  std::string_view view() const { return std::string_view(chars_.data(), size_); }

 private:
  friend std::string_view NormalizeName(std::string_view name, NormalizedName* out);
  std::array<char, kMaxNameChars> chars_;
  size_t size_ = 0;
};

// Lower-cases `name`, strips one trailing dot and checks the lengths.
// Returns empty on success, else why the name is unusable ("empty label",
// "label longer than 63 octets", "name longer than 253 characters").
std::string_view NormalizeName(std::string_view name, NormalizedName* out);

// Wire form (RFC 1035 3.1) of a normalised name: length-prefixed labels and
// the root's zero octet. "" gives the root name alone.
std::vector<uint8_t> NameToWire(std::string_view normalized);

// Text of an uncompressed wire name: labels joined by '.', lower-cased, no
// trailing dot; the root gives "". Stops at the first malformed length.
std::string WireToName(const uint8_t* wire, size_t size);

// RFC 4343: equal if equal ignoring ASCII case. Both are uncompressed wire
// names (ldns stores dname rdata that way).
bool WireNamesEqual(const uint8_t* a, size_t a_size, const uint8_t* b, size_t b_size);

}  // namespace portcullis::dns
