// The spf check's options (checks.spf in the config), read once per config
// Snapshot: which identities to check, the action and score per result, the
// domains whose fail is enforced, and the evaluation time limit.
//
// Built by ReadSpfOptions while a Snapshot is built (single-threaded);
// immutable afterwards and shared through shared_ptr by the check and all
// its per-message instances on any thread.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "portcullis/check_result.h"
#include "portcullis/config_value.h"
#include "spf_result.h"

namespace portcullis::spf {

struct SpfOptions {
  // Also evaluate the HELO identity (RFC 7208 2.3) when MAIL FROM is not
  // null; it only adds an SPF_HELO_<RESULT> symbol. (For a null MAIL FROM
  // the HELO identity is the MAIL FROM check itself, 2.4.)
  bool check_helo = true;
  // What each MAIL FROM result asks of the gateway at end of message.
  // Default: reject on fail (RFC 7208 8.4 allows it), nothing otherwise.
  std::array<Action, kResultCount> actions{};
  // When non-empty, the fail action applies only to these domains (the
  // checked <domain>: the MAIL FROM domain, or HELO for a null sender),
  // lower-case, exact match; other fails only score.
  std::vector<std::string> reject_fail_domains;
  // Symbol scores: SPF_<RESULT>, SPF_HELO_<RESULT>, SPF_NO_CLIENT_ADDRESS.
  std::array<double, kResultCount> scores{};
  std::array<double, kResultCount> helo_scores{};
  double no_client_address_score = 0;
  // RFC 7208 9.1: prepend a Received-SPF header besides the A-R part.
  bool received_spf_header = false;
  // Whole evaluation; RFC 7208 4.6.4 says it SHOULD allow at least 20 s.
  // The end-of-message deadline bounds the wait in any case.
  std::chrono::milliseconds timeout{20000};

  Action ActionFor(SpfResult result) const { return actions[static_cast<size_t>(result)]; }
  double ScoreFor(SpfResult result) const { return scores[static_cast<size_t>(result)]; }
  double HeloScoreFor(SpfResult result) const { return helo_scores[static_cast<size_t>(result)]; }
  bool EnforcesFailFor(std::string_view domain) const;
};

// The defaults documented in README.md.
SpfOptions DefaultSpfOptions();

// Reads checks.spf; errors (file:line) go through `options`. Returns
// nullptr when any option is bad.
std::shared_ptr<const SpfOptions> ReadSpfOptions(ConfigReader& options);

}  // namespace portcullis::spf
