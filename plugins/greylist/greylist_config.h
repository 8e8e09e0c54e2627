// The greylist check's options, read once per config Snapshot from
// `checks.greylist` (README.md documents every option and its default).
//
// Built by ReadGreylistConfig while a Snapshot is built (single-threaded,
// reads allowlist files); immutable afterwards and shared through a
// shared_ptr by the check and all its per-message instances.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "entry_list.h"
#include "greylist_allowlist.h"
#include "greylist_decision.h"
#include "greylist_triplet.h"
#include "portcullis/config_value.h"

namespace portcullis::greylist {

using Seconds = std::chrono::seconds;

// Scores are summed into the message score; the range keeps a typo such as
// 1e9 from swamping every other check (the same range as dnsbl).
inline constexpr double kMinScore = -100;
inline constexpr double kMaxScore = 100;
// The placeholder in tempfail_text replaced by the seconds left to wait.
inline constexpr char kSecondsPlaceholder[] = "{seconds}";
// A passed triplet's (and the network counter's) TTL is pushed back to
// max_age at most this often: a write per message would turn every known
// sender's mail into store writes, and an hour is nothing against 35 days.
inline constexpr Seconds kRefreshInterval{3600};
// RFC 5321 4.5.3.1.8 requires servers to accept at least 100 recipients per
// message; more store lookups than that per message is not worth it.
inline constexpr int64_t kMaxRecipientsLimit = 1000;

struct GreylistConfig {
  // The minimum time before a retry is accepted (RFC 6647). 300 s is
  // postgrey's default and shorter than most MTAs' first retry.
  Seconds delay{300};
  // A first attempt not retried within this is forgotten (postgrey: 2 days).
  Seconds retry_window{2 * 86400};
  // A passed triplet and a network's pass count live this long after last
  // use (postgrey's max_age 35 days: monthly newsletters stay known).
  Seconds max_age{35 * 86400};

  int ipv4_prefix = 24;  // large senders retry from another host of their pool
  int ipv6_prefix = 64;  // one /64 is one site (RFC 4291 2.5.4)
  SenderOptions sender;
  bool recipient_strip_subaddress = false;

  bool skip_authenticated = true;
  lists::EntryList skip_networks{lists::EntryKind::kClient};
  bool skip_spf_pass = true;
  std::vector<std::string> skip_symbols;
  // Longest wait, per message, for the early results of spf and dnsbl at
  // RCPT TO; must stay well under the MTA's milter command timeout.
  std::chrono::milliseconds early_wait{200};

  int64_t auto_allowlist_after = 5;  // 0 disables
  Allowlists allowlists;
  bool builtin_allowlist = true;

  std::chrono::milliseconds store_timeout{100};  // per store call
  int64_t max_recipients = 100;
  Seconds log_interval{60};
  std::string tempfail_text = "Greylisted: please retry in {seconds} seconds";
  std::array<double, kDecisionCount> scores{};

  // Whether a skip rule reads early results (then Check::after() names
  // "spf" and "dnsbl").
  bool NeedsEarlyResults() const { return skip_spf_pass || !skip_symbols.empty(); }
  // tempfail_text with the placeholder replaced.
  std::string ReplyText(Seconds retry_in) const;
  double ScoreOf(Decision decision) const { return scores[static_cast<size_t>(decision)]; }
};

// Reads `checks.greylist`; errors (file:line) go to `options`. Relative
// file names are resolved against `config_dir`. `builtin_providers` is the
// text of data/providers.txt (embedded). Returns nullptr when any option is
// bad.
std::shared_ptr<const GreylistConfig> ReadGreylistConfig(ConfigReader& options,
                                                         const std::string& config_dir,
                                                         std::string_view builtin_providers);

// "300", 300, "300s", "5m", "48h", "2d" -> seconds; nullopt otherwise.
std::optional<Seconds> ParseDuration(std::string_view text);

}  // namespace portcullis::greylist
