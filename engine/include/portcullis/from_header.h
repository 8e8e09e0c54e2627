// Extracts the domains of the addresses in a From header field value
// (RFC 5322 3.6.2: From is a mailbox-list): for From domain lists, RHSBL
// lookups and DMARC.
//
// Security: the header is attacker-controlled and the result decides an
// allowlist. The parser is conservative: it reports every domain it can see
// (so a block matches any of them) and flags the value as ambiguous whenever
// a reader could disagree about the author (no address, unbalanced quotes,
// comments or brackets, two angle-addrs in one mailbox, too many addresses),
// which the check treats as "not allowlisted". Display names and comments
// never count: `"boss@good.org" <x@evil.org>` yields evil.org.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

// RFC 5322 2.1.1 caps a line at 998 characters, but From may be folded over
// many lines; 16 KiB is far past any real author list. Longer values are
// only scanned up to this point and marked ambiguous.
inline constexpr size_t kMaxFromValueBytes = 16 * 1024;
// Real messages have one author, mailing lists a handful; past this the
// rest is ignored and the value is ambiguous.
inline constexpr size_t kMaxFromAddresses = 16;

struct FromDomains {
  std::vector<std::string> domains;  // lower-case, no trailing dot, in order
  bool ambiguous = false;
};

// Parses one From header value (as the MTA sent it: may start with spaces
// and contain "\n" from unfolding).
FromDomains ParseFromDomains(std::string_view value);

}  // namespace portcullis
