// Domain-name rules SPF applies to <domain>, <sender> and expanded
// target-names: the initial validity test (RFC 7208 4.3), the 253-octet
// truncation of macro output (7.3), sub-domain matching for "ptr" (5.5) and
// the split of <sender> into local-part and domain (4.1, 4.3).
//
// Pure functions over strings; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace portcullis::spf {

// RFC 1035 2.3.4 / RFC 7208 7.3: a domain name in text form is at most 253
// octets (255 on the wire); a label at most 63.
inline constexpr size_t kMaxDomainLength = 253;
inline constexpr size_t kMaxLabelLength = 63;

// RFC 7208 4.3: false for a name that check_host() must answer with "none":
// an empty or over-long label (one trailing dot is allowed: it is the root),
// more than 253 octets, a single label (not a multi-label domain name), or
// anything but visible ASCII. A bracketed address literal ("[192.0.2.1]",
// RFC 5321 4.1.3) is a HELO argument but not a domain name.
bool IsValidDomain(std::string_view domain);

// RFC 7208 7.3: a macro-expanded name longer than 253 characters loses
// labels from the left (with their dots) until it fits. A name with no dot
// left to cut at is returned as it is (it is then not a valid name).
void TruncateDomain(std::string* name);

// Case-insensitive; one trailing dot on either side is ignored.
bool EqualsDomain(std::string_view a, std::string_view b);
// True when `name` is `parent` or a sub-domain of it (RFC 7208 5.5).
bool IsSameOrSubdomain(std::string_view name, std::string_view parent);

// RFC 7208 4.1 and 4.3: <sender> split at its last "@"; a sender without a
// local-part ("@example.org" or a bare domain, as for HELO) gets the
// local-part "postmaster".
struct SenderParts {
  std::string sender;      // "local@domain" after the substitution
  std::string local_part;  // "postmaster" when there was none
  std::string domain;      // as given (case kept), may be empty
};
SenderParts SplitSender(std::string_view sender);

}  // namespace portcullis::spf
