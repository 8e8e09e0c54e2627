// The RFC 8601 section 3 "iprev" evaluation (forward-confirmed reverse DNS):
// a PTR lookup of the client address, then an address lookup of each name
// found (A for an IPv4 client, AAAA for IPv6); it passes when one of those
// addresses is the client's.
//
// Result values, RFC 8601 2.7.3 word for word in substance:
//   pass       the reverse and forward lookups agree
//   fail       both produced results that do not agree, or the forward
//              query completed with no result (NXDOMAIN, or NOERROR with no
//              answers)
//   temperror  a transient DNS error (SERVFAIL, timeout); a later attempt
//              may produce a final result
//   permerror  no PTR data are published for the address (NXDOMAIN, or
//              NOERROR with no answers) — reported here as kNoPtr so an
//              operator can score it apart — or nothing usable came back
//
// Start() returns at once; the lookups chain on the resolver's thread (a PTR
// answer starts the forward lookups from its callback) and the outcome is
// Set() on the returned AsyncResult, the first decisive answer winning. The
// evaluation keeps itself alive through its callbacks, so the caller may
// drop the handle at any time. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "portcullis/async_result.h"
#include "portcullis/deadline.h"
#include "portcullis/dns.h"
#include "portcullis/ip_address.h"

namespace portcullis::iprev {

// RFC 8601 3: the number of PTR names given forward lookups "MUST be
// limited so as not to be unduly taxing to the DNS infrastructure", with
// RFC 7208 4.6.4's limit of 10 (SPF's "ptr" mechanism) as the example.
inline constexpr size_t kMaxPtrNames = 10;

enum class IprevResult {
  kPass,
  kFail,
  kTempError,
  kPermError,  // RFC 8601 permerror other than a missing PTR (no usable name)
  kNoPtr,      // RFC 8601 permerror: no PTR data (NXDOMAIN or NODATA)
};

// "pass", "fail", "temperror", "permerror" (kNoPtr too): the RFC 8601 words.
std::string_view IprevResultName(IprevResult result);

struct IprevOutcome {
  IprevResult result = IprevResult::kTempError;
  // pass: the name that maps back; fail: the first PTR name evaluated.
  std::string name;
  std::string reason;    // why, for logs and details: "nxdomain", "timeout", ...
  size_t ptr_names = 0;  // names the PTR answer held (before the limit)
};

// The name of the PTR query for `client`: "<reversed>.in-addr.arpa" or
// "<nibbles>.ip6.arpa" (RFC 1035 3.5, RFC 3596 2.5).
std::string PtrQueryName(const IpAddress& client);

// Whether `name` from a PTR answer is a plain host name we will look up and
// show in headers (letters, digits, '-', '_', labels of 1..63 octets, at
// most 253). Security: PTR data is chosen by whoever controls the reverse
// zone; anything else is skipped, never quoted into a header.
bool IsUsableHostName(std::string_view name);

// Starts the evaluation for `client` (already unmapped: an IPv4-mapped
// IPv6 client is evaluated as IPv4). Every lookup ends by `deadline`.
AsyncResultPtr<IprevOutcome> StartIprev(dns::Resolver& resolver, const IpAddress& client,
                                        Deadline deadline);

}  // namespace portcullis::iprev
