// What the greylist check decided for one recipient, and the names each
// decision has for operators: the symbol (UPPER_SNAKE, scored in the config)
// and the metric label.
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace portcullis::greylist {

enum class Decision : uint8_t {
  kNew,              // first attempt of this triplet: tempfailed, first-seen recorded
  kEarly,            // retried before `delay` elapsed: tempfailed again
  kPassed,           // retried after `delay`: accepted, triplet marked passed
  kKnown,            // triplet passed before (within max_age): accepted
  kAutoAllowlisted,  // the client network passed auto_allowlist_after times
  kAllowlisted,      // a static allowlist or a manual store entry
  kSkipped,          // a skip rule (auth, networks, SPF pass, symbol, no address)
  kStoreError,       // the store failed or is missing: accepted (fail open)
  kRcptLimit,        // past max_recipients: the message's strongest decision
};
inline constexpr size_t kDecisionCount = 9;

// "GREYLIST_NEW", ...
std::string_view DecisionSymbol(Decision decision);
// "new", "early", ... (the `decision` label of the metric)
std::string_view DecisionLabel(Decision decision);
// The decision whose symbol is `symbol`, or nullopt.
std::optional<Decision> DecisionForSymbol(std::string_view symbol);

inline bool IsTempfail(Decision decision) {
  return decision == Decision::kNew || decision == Decision::kEarly;
}

}  // namespace portcullis::greylist
