// The syntax of list entries and the normal form they are stored and looked
// up in: lower-case domains without a trailing dot, "@domain" for an exact
// domain, "local@domain" for an address, "[ip]" for a HELO address literal.
//
// Entry parsers return an error message (empty on success) and are used only
// while a Snapshot is built. The lookup-side helpers take untrusted SMTP
// input. All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "portcullis/ip_address.h"

namespace portcullis::lists {

// RFC 1035 2.3.4: a name is at most 255 octets on the wire, 253 characters
// in text without the trailing dot; a label at most 63.
inline constexpr size_t kMaxDomainLength = 253;
inline constexpr size_t kMaxLabelLength = 63;
// RFC 5321 4.5.3.1.1: a local part is at most 64 octets.
inline constexpr size_t kMaxLocalPartLength = 64;

// What an entry may be, per list key.
enum class EntryKind {
  kClient,   // IPv4/IPv6 address or CIDR range
  kHelo,     // domain (with subdomains) or address literal "[1.2.3.4]"
  kAddress,  // sender/recipient: "a@b", "@b" (exact domain), "b" (subdomains)
  kDomain,   // From header domain: "@b" (exact domain), "b" (subdomains)
};

// "example.org" -> "example.org" after checking labels; errors explain the
// accepted forms. `out` receives the normal form.
std::string NormalizeDomainEntry(std::string_view entry, std::string* out);

// Parses one client entry. Decision: an entry with host bits set beyond its
// prefix ("192.0.2.77/24") is an error, as in Postfix's cidr tables: it is
// usually a typo for a /32 or the wrong base, and silently widening a block
// to 256 addresses is worse than refusing to start.
std::string ParseClientEntry(std::string_view entry, IpNetwork* out);

// Parses a name entry of `kind` (not kClient) into its stored normal form.
std::string NormalizeNameEntry(EntryKind kind, std::string_view entry, std::string* out);

// Lookup side (untrusted input): lower-case, trailing dot removed, angle
// brackets removed. Returns false when the input cannot be a valid name
// (too long, empty), which then matches nothing.
bool NormalizeLookupDomain(std::string_view domain, std::string* out);
bool NormalizeLookupAddress(std::string_view address, std::string* out);

// "[192.0.2.1]" for an address literal; used for entries and lookups alike.
std::string AddressLiteral(const IpAddress& address);

}  // namespace portcullis::lists
