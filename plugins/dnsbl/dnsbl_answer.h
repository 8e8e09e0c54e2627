// What one DNS answer from one list means: listed (with which symbols), not
// listed, an error code, or a temporary failure (RFC 5782 section 2.3).
//
// Security: the answer comes from the network, and a list that has been shut
// down or whose domain expired may answer everything with a wildcard. Only
// 127.0.0.0/8 answers are listings (RFC 5782 2.3); anything else, and the
// 127.255.255.0/24 codes Spamhaus uses for "refused" (public resolver, over
// quota, typo in the zone), make the whole answer an error, never a hit.
//
// Pure functions on immutable inputs; thread-safe. Classify runs on the
// resolver's loop thread, so it stays small and never blocks.
#pragma once

#include <string>
#include <vector>

#include "dnsbl_config.h"
#include "portcullis/dns.h"

namespace portcullis::dnsbl {

// The answer codes a list may return (RFC 5782 2.3) and the block reserved
// for errors by Spamhaus (and copied by others).
inline constexpr uint32_t kLoopbackNet = 0x7f000000;   // 127.0.0.0/8
inline constexpr uint32_t kErrorCodeNet = 0x7fffff00;  // 127.255.255.0/24
bool IsListingCode(uint32_t code);                     // in 127/8, not an error code

// One returned code and the symbols the list's rules give it.
struct Listing {
  std::string code;  // "127.0.0.2"
  std::vector<SymbolScore> symbols;
};

struct ListAnswer {
  enum class Kind {
    kNotListed,  // NXDOMAIN, NODATA, or no addresses
    kListed,     // 127/8 answers; a code's symbols are empty when no rule matched
    kError,      // an answer outside 127/8 or an error code; `error` says which
    kTempError,  // timeout, SERVFAIL, ...; `error` says which
  };
  Kind kind = Kind::kNotListed;
  std::vector<Listing> listings;  // kListed: each returned code once, in answer order
  std::string error;

  // Listed with at least one symbol: what counts as a hit.
  bool Hit() const;
  // The first symbol of the first code that has one; Hit() must be true.
  const SymbolScore& FirstSymbol() const;
};

std::string_view ListAnswerKindName(ListAnswer::Kind kind);  // "listed", ...

// Classifies an answer to the A query for one of `list`'s names.
ListAnswer Classify(const DnsblList& list, const dns::Answer& answer);

// The symbols `list` assigns to one listing code (codes and masks, else the
// default); empty when nothing matches and there is no default.
std::vector<SymbolScore> SymbolsForCode(const DnsblList& list, uint32_t code);

// What a 127.255.255.x (or other non-listing) answer means, for logs.
std::string DescribeErrorCode(const IpAddress& address);

}  // namespace portcullis::dnsbl
