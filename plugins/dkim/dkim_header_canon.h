// Header canonicalization (RFC 6376 3.4.1, 3.4.2) and the selection of the
// signed header fields (5.4.2), from header fields as the MTA delivers them
// to a milter: with SMFIP_HDR_LEADSPC the value keeps its leading
// whitespace and folds are joined with a bare "\n" (transaction_info.h
// HeaderField).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dkim_signature.h"
#include "portcullis/transaction_info.h"

namespace portcullis::dkim {

// One field canonicalized, without the trailing CRLF. "simple" rebuilds the
// field as it was on the wire: "Name:value" with every fold as CRLF.
std::string CanonicalizeHeader(Canonicalization canon, std::string_view name,
                               std::string_view value);

// The header hash input of RFC 6376 3.7 except the signature field itself:
// for each name in `signed_headers`, the last not yet used instance of that
// name (from the bottom, 5.4.2), canonicalized and followed by CRLF. A name
// listed more often than it occurs contributes nothing (5.4.2: "nonexistent
// header fields do not contribute to the signature computation"), which is
// what makes over-signing work.
std::string SelectAndCanonicalize(Canonicalization canon, const std::vector<HeaderField>& headers,
                                  const std::vector<std::string>& signed_headers);

}  // namespace portcullis::dkim
