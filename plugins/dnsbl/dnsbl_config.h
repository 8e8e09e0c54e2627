// The dnsbl check's options, read once per config Snapshot from
// `checks.dnsbl`: the DNS lists to ask (RFC 5782), what each answer code
// means, and what a hit does.
//
// Built by ReadDnsblConfig while a Snapshot is built (single-threaded).
// Immutable afterwards and shared through a shared_ptr by the check, all its
// per-message instances and the lookup callbacks on the resolver's thread.
// README.md documents every option and default.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/check_result.h"
#include "portcullis/config_value.h"

namespace portcullis::dnsbl {

// Every list is one query per identity per message; 32 lists is far past any
// sane setup and keeps a typo-generated config from flooding the resolver.
inline constexpr size_t kMaxLists = 32;
// Scores are summed into the message score; the range keeps a typo such as
// 1e9 from swamping every other check (the same range as bare_lf).
inline constexpr double kMinScore = -100;
inline constexpr double kMaxScore = 100;
// Operator-chosen symbol names show up in headers and logs.
inline constexpr size_t kMaxSymbolLength = 64;

// The check's own symbols (score 0 unless `scores` says otherwise).
inline constexpr char kErrorSymbol[] = "DNSBL_ERROR";  // a list answered an error code
inline constexpr char kTempErrorSymbol[] =
    "DNSBL_TEMPERROR";  // timeout, SERVFAIL, no answer in time

enum class ListType {
  kIp,      // RFC 5782 2.1/2.4: the client address, reversed, under the zone
  kDomain,  // RFC 5782 2.2 (RHSBL): a domain name under the zone
};

// What a domain list looks up (a bit set).
enum Identity : uint8_t {
  kSender = 1u << 0,  // envelope sender domain (MAIL FROM)
  kHelo = 1u << 1,    // HELO/EHLO name
  kFrom = 1u << 2,    // From header domain(s)
};
inline constexpr uint8_t kAllIdentities = kSender | kHelo | kFrom;
// "sender,helo" for details and logs.
std::string IdentityNames(uint8_t identities);

enum class ListAction {
  kScore,   // symbols only; the policy decides on the score
  kReject,  // reject at RCPT TO (client, sender, HELO) or end of message (From)
};

struct SymbolScore {
  std::string symbol;  // UPPER_SNAKE
  double score = 0;
};

// An answer range "127.0.0.2", "127.0.0.4/30" or "127.0.0.4-127.0.0.7":
// inclusive bounds as 32-bit host-order numbers. A rule with `error` set
// marks a list's own refusal code inside 127/8 (URIBL's 127.0.0.1, some
// DNSWLs' 127.0.0.255): such an answer is a DNSBL_ERROR, never a hit.
struct CodeRule {
  uint32_t first = 0;
  uint32_t last = 0;
  SymbolScore symbol;  // unused when `error` is set
  std::string error;   // what the code means, e.g. "over quota"
};

// SURBL/URIBL style: the answer's last octet has any of `mask`'s bits set.
struct MaskRule {
  uint8_t mask = 0;
  SymbolScore symbol;
};

struct DnsblList {
  std::string zone;  // lower-case, no trailing dot
  ListType type = ListType::kIp;
  uint8_t identities = kAllIdentities;  // domain lists only
  std::vector<CodeRule> codes;
  std::vector<MaskRule> masks;
  std::optional<SymbolScore> default_symbol;  // any other 127.0.0.0/8 answer
  ListAction action = ListAction::kScore;
  // A DNSWL: hits are (usually negative) scores and never reject; with
  // `accept` a hit asks for Action::kAccept at end of message.
  bool allowlist = false;
  bool accept = false;
  ActionRequest reject_reply;  // for kReject; `reason` is set per hit
  bool ipv6 = true;            // ip lists: also ask for IPv6 clients (nibbles)
  bool self_test = true;       // probe the RFC 5782 section 5 entries at start

  bool Rejects() const { return action == ListAction::kReject && !allowlist; }
};

struct DnsblConfig {
  std::vector<DnsblList> lists;
  // How long the resolver may work on one query; lookups start at connect,
  // so this is counted from there (the end-of-message wait is separate).
  std::chrono::milliseconds timeout{5000};
  // Longest total wait at RCPT TO, per message, for the answers of reject
  // lists; past it the recipient is accepted and the hit only scored.
  std::chrono::milliseconds rcpt_wait{2000};
  // Loopback, RFC 1918, CGNAT, link-local and ULA clients are never asked
  // about: public lists cannot list them, and the query leaks the address.
  bool skip_private = true;
  // SMTP AUTH users on dynamic addresses are routinely on policy lists (PBL);
  // their messages get no DNSBL symbols and are never rejected.
  bool skip_authenticated = true;
  double error_score = 0;
  double temperror_score = 0;

  bool AnyRejectList() const;
};

// Reads `checks.dnsbl`; errors (with file:line) go to `options`. Returns
// nullptr when any option is bad.
std::shared_ptr<const DnsblConfig> ReadDnsblConfig(ConfigReader& options);

// Reads one list table's `codes`, `masks` and `default` into `out` (errors,
// with `file` and the entry's line, to `errors`). Shared with plugins/uribl,
// whose lists use the same answer vocabulary.
void ReadListCodes(ConfigReader& list, const std::string& file, ConfigErrors* errors,
                   DnsblList* out);

// The symbol syntax operators see: [A-Z][A-Z0-9_]*, at most kMaxSymbolLength.
bool IsSymbolName(std::string_view name);

}  // namespace portcullis::dnsbl
