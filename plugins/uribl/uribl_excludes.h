// The registered domains the uribl check never looks up unless the operator
// turns the shipped list off (`exclude_defaults = false`).
//
// Why: these domains appear in a large share of all mail (signatures,
// tracking-free links, social buttons, XML namespaces such as w3.org in
// every HTML part) and are never listed, so asking about them only spends
// queries and quota. SURBL's and URIBL's own guidance is to skip such
// "whitelisted" domains locally before querying.
//
// A constant table; thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace portcullis::uribl {

// Lower-case registered domains.
std::span<const std::string_view> DefaultExcludedDomains();

}  // namespace portcullis::uribl
