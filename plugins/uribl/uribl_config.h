// The uribl check's options, read once per config Snapshot from
// `checks.uribl`: the URI block lists to ask (SURBL, URIBL, Spamhaus DBL
// style), what their answer codes mean, and how much DNS work one message
// may cause.
//
// Each list's codes, masks and default are read by plugins/dnsbl
// (dnsbl::ReadListCodes) into a dnsbl::DnsblList, so both plugins share one
// answer vocabulary and one classifier (dnsbl_answer.h).
//
// Built by ReadUriblConfig while a Snapshot is built (single-threaded).
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
#include <string_view>
#include <unordered_set>
#include <vector>

#include "dnsbl_config.h"
#include "portcullis/check_result.h"
#include "portcullis/config_value.h"

namespace portcullis::uribl {

// Every list is one query per distinct domain; 16 lists is far past any
// real setup (SURBL, URIBL and DBL are three) and bounds the fan-out.
inline constexpr size_t kMaxLists = 16;
// max_lookups bounds the DNS queries one message can cause: a message is
// free to carry thousands of links, and each one would otherwise be a query
// per list. 20 covers real mail (rspamd's default is similar); 1000 is the
// MIME parser's own URL limit (mime::Limits::max_urls).
inline constexpr int64_t kDefaultMaxLookups = 20;
inline constexpr int64_t kMaxMaxLookups = 1000;
// exclude_domains entries: enough for an operator's own domains and partners.
inline constexpr size_t kMaxExcludeDomains = 10000;

// The check's own symbols (score 0 unless `scores` says otherwise).
inline constexpr char kErrorSymbol[] = "URIBL_ERROR";  // error code, timeout, no answer
inline constexpr char kLimitSymbol[] = "URIBL_LIMIT";  // max_lookups reached, rest not asked

// What a list looks up (bit sets).
enum Target : uint8_t {
  kDomains = 1u << 0,  // registered domains (SURBL/URIBL/DBL convention)
  kIps = 1u << 1,      // IP-literal hosts, octets reversed (SURBL lists IPs too)
};
enum Identity : uint8_t {
  kUrl = 1u << 0,    // hosts of URLs found in the message
  kEmail = 1u << 1,  // domains of e-mail addresses found in the message
};

struct UriblList {
  // zone, codes, masks, default (type kDomain, self_test false): what
  // dnsbl::Classify needs to read an answer.
  dnsbl::DnsblList rules;
  uint8_t targets = kDomains;
  uint8_t identities = kUrl;
  bool ipv6 = false;    // IP hosts: also ask IPv6 literals (nibbles); few lists have them
  bool reject = false;  // action = "reject": a hit asks for a reject at end of message
  std::string reject_code = "550";
  std::string reject_enhanced_code = "5.7.1";

  const std::string& zone() const { return rules.zone; }
};

struct UriblConfig {
  std::vector<UriblList> lists;
  // Queries per message, after deduplication; a name is asked on all its
  // lists or on none, so the bound is exact.
  int max_lookups = static_cast<int>(kDefaultMaxLookups);
  // How long the resolver may work on one query (counted from OnUrl).
  std::chrono::milliseconds timeout{5000};
  // Longest wait at end of message for outstanding answers; nullopt: up to
  // the transaction's deadline.
  std::optional<std::chrono::milliseconds> wait;
  // SMTP AUTH users' outgoing mail quotes whatever links they like (and
  // every reply quotes the spam it answers); no lookups, no symbols.
  bool skip_authenticated = true;
  // Never looked up: the shipped big domains plus the operator's own.
  std::unordered_set<std::string> exclude_domains;
  double error_score = 0;
  double limit_score = 0;

  // `domain` (lower-case) or one of its parents is excluded.
  bool Excluded(std::string_view domain) const;
};

// Reads `checks.uribl`; errors (with file:line) go to `options`. Returns
// nullptr when any option is bad.
std::shared_ptr<const UriblConfig> ReadUriblConfig(ConfigReader& options);

}  // namespace portcullis::uribl
