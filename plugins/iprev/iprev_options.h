// The iprev check's options, read once per config Snapshot from
// `checks.iprev`: the lookup timeout and the score of each result symbol.
// Immutable after reading; shared read-only by all transactions.
//
// Symbols and default scores (README.md has the reasoning):
//   IPREV_PASS 0, IPREV_FAIL 1, IPREV_NO_PTR 2, IPREV_PERMERROR 1,
//   IPREV_TEMPERROR 0
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string_view>

#include "iprev_evaluation.h"
#include "portcullis/config_value.h"

namespace portcullis::iprev {

inline constexpr size_t kResultCount = 5;  // IprevResult values

// The symbol for each result: IPREV_PASS, IPREV_FAIL, IPREV_TEMPERROR,
// IPREV_PERMERROR, IPREV_NO_PTR.
std::string_view SymbolOf(IprevResult result);

// Scores are summed into the message score; the range keeps a typo such as
// 1e9 from swamping every other check (the same range as bare_lf).
inline constexpr double kMinScore = -100;
inline constexpr double kMaxScore = 100;

struct IprevOptions {
  // Whole evaluation (PTR and forward lookups), counted from connect.
  std::chrono::milliseconds timeout{5000};
  std::array<double, kResultCount> scores = {0, 1, 0, 1, 2};  // in IprevResult order

  double score(IprevResult result) const { return scores[static_cast<size_t>(result)]; }
};

// Reads the options; problems are reported through `reader` with file:line
// and make it return nullopt.
std::optional<IprevOptions> ReadIprevOptions(ConfigReader& reader);

}  // namespace portcullis::iprev
