// The Author Domain DMARC evaluates (RFC 7489 3.1, 6.6.1): the domain of the
// one address in the one RFC5322.From header field.
//
// RFC 7489 6.6.1 leaves messages with no From, several From fields, or
// several addresses outside DMARC ("typically rejected"; a multi-address
// From "presents a particular challenge"). We do not guess an author: any
// of those, an address without a domain, or a value the shared parser finds
// ambiguous, gives no Author Domain, which the check reports as permerror
// with DMARC_BAD_FROM (RFC 7489 11.2: "permerror: a permanent error
// occurred during DMARC evaluation"; the message itself, not DNS, is
// broken, so a retry cannot help).
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::dmarc {

struct AuthorDomain {
  std::optional<std::string> domain;  // lower-case; absent: `problem` says why
  std::string problem;                // for the symbol's detail
};

// `from_values` are the values of every From header field of the message,
// in order, as the MTA sent them (portcullis/from_header.h).
AuthorDomain FindAuthorDomain(const std::vector<std::string>& from_values);

}  // namespace portcullis::dmarc
