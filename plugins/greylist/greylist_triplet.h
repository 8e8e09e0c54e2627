// The greylisting triplet (RFC 6647, RCPT-level greylisting): the client's
// network, the envelope sender and the recipient, each in the normal form
// that makes a legitimate retry land on the same triplet even when the
// sending MTA changes what it may change between attempts (its address
// inside a pool, a per-attempt BATV tag, an SRS timestamp, a VERP counter).
//
// Pure functions over untrusted SMTP input; thread-safe. Nothing here
// assumes the input is well formed: malformed addresses are kept as they
// are (lower-cased) rather than refused, so they still form a triplet.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "portcullis/ip_address.h"

namespace portcullis::greylist {

// The value stored for the null reverse-path (RFC 5321 4.5.5): bounces and
// DSNs form their own sender value.
inline constexpr char kNullSender[] = "<>";

struct SenderOptions {
  bool lower_case = true;
  // BATV (draft-levine-smtp-batv) "prvs=TAG=user@dom", Microsoft's
  // "msprvs1=TAG=user@dom" and Barracuda's "btv1==TAG==user@dom": the tag
  // changes every day or message, the address inside does not.
  bool strip_batv = true;
  // SRS (Sender Rewriting Scheme) "SRS0=HHH=TT=domain=user@forwarder" and
  // "SRS1=HHH=fwd1==HHH=TT=domain=user@fwd2": hash and timestamp change per
  // day; the original address is kept.
  bool strip_srs = true;
  // "user+tag@dom" -> "user@dom" (VERP list bounces put a per-recipient or
  // per-message tag there).
  bool strip_subaddress = true;
  // postgrey's rule: whole runs of digits in the local part (between
  // non-word characters, Perl's \b\d+\b) become "#", so a VERP counter
  // ("bounce-12345-list@dom") does not make a new triplet per message.
  bool replace_digits = true;
  std::string separators = "+";
};

// Normal form of an envelope sender; "" (the null sender) gives kNullSender.
std::string NormaliseSender(std::string_view sender, const SenderOptions& options);

// Recipient: lower-case, optionally without a sub-address.
std::string NormaliseRecipient(std::string_view recipient, bool strip_subaddress,
                               std::string_view separators);

// "user@dom" -> "user" cut at the first separator; unchanged when the cut
// would leave an empty local part or there is none.
std::string StripSubaddress(std::string_view address, std::string_view separators);

// The BATV and SRS decodings alone (no case change); the input when it is
// not such an address.
std::string StripBatv(std::string_view address);
std::string StripSrs(std::string_view address);

// The client's network as text, "192.0.2.0/24" or "2001:db8:1:2::/64":
// the address with host bits cleared. An IPv4-mapped IPv6 address is
// treated as the IPv4 address it carries. Prefixes are within 1..32/1..128.
std::string ClientNetwork(const IpAddress& address, int ipv4_prefix, int ipv6_prefix);

// Parses "IP" or "IP/LEN" given by an operator and returns the network text
// at the configured granularity: an address is masked to the prefix of its
// family; a network must have exactly that prefix and no host bits.
// Returns nullopt with `error` set otherwise.
std::optional<std::string> OperatorNetwork(std::string_view text, int ipv4_prefix, int ipv6_prefix,
                                           std::string* error);

}  // namespace portcullis::greylist
