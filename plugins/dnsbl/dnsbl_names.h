// The DNS names the dnsbl check asks for (RFC 5782 section 2), and which
// client-supplied names and addresses are worth asking about at all.
//
// Security: HELO, the envelope sender and the From header are chosen by the
// client. Only syntactically plain host names (letters, digits, '-', '_',
// labels of 1..63 octets, at least two labels, not an address) become
// queries, so a client cannot make us send odd or oversized questions.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "portcullis/ip_address.h"

namespace portcullis::dnsbl {

// RFC 1035 2.3.4: a name is at most 255 octets on the wire, 253 as text.
inline constexpr size_t kMaxNameLength = 253;
inline constexpr size_t kMaxLabelLength = 63;

// `text` lower-cased without a trailing dot, if it is a plain host name of at
// least two labels whose last label is not all digits (RFC 3696 2) and which
// is not an IP address; nullopt otherwise.
std::optional<std::string> NormaliseDomain(std::string_view text);

// A zone name for the config: the same rules, but a single label is allowed
// (a local test zone).
std::optional<std::string> NormaliseZone(std::string_view text);

// The HELO name as a domain to look up: nullopt for an address literal
// "[192.0.2.1]", a bare address, or anything that is not a host name.
std::optional<std::string> HeloDomain(std::string_view helo);

// "<domain>.<zone>", or nullopt when the result would be over kMaxNameLength.
std::optional<std::string> DomainQueryName(std::string_view domain, std::string_view zone);

// The address a list is asked about: an IPv4-mapped IPv6 address
// (::ffff:192.0.2.1) is the IPv4 client it stands for.
IpAddress QueryAddress(const IpAddress& client);

// "<reversed address>.<zone>" (RFC 5782 2.1 octets, 2.4 nibbles) for
// QueryAddress(client).
std::string IpQueryName(const IpAddress& client, std::string_view zone);

// Loopback, unspecified, RFC 1918, RFC 6598 shared (CGNAT), link-local and
// IPv6 unique-local addresses (after unmapping IPv4-mapped ones).
bool IsPrivateAddress(const IpAddress& address);

}  // namespace portcullis::dnsbl
