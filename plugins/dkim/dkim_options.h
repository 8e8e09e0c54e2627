// The dkim check's options (checks.dkim in the config), read once per
// config Snapshot: how many signatures to verify, the key lookup limit and
// the symbol scores.
//
// Built by ReadDkimOptions while a Snapshot is built (single-threaded);
// immutable afterwards and shared by the check and all its instances.
#pragma once

#include <array>
#include <chrono>
#include <memory>

#include "dkim_result.h"
#include "dkim_verifier.h"
#include "portcullis/config_value.h"

namespace portcullis::dkim {

// Index of each score: one per DkimResult, then "none" and
// "too_many_signatures".
inline constexpr size_t kResultKinds = 6;

struct DkimOptions {
  VerifierOptions verifier;
  // DKIM_<RESULT> scores, by DkimResult.
  std::array<double, kResultKinds> scores{};
  double none_score = 0;                 // DKIM_NONE: no signature
  double too_many_signatures_score = 0;  // DKIM_TOO_MANY_SIGNATURES

  double ScoreFor(DkimResult result) const { return scores[static_cast<size_t>(result)]; }
};

// The defaults documented in README.md.
DkimOptions DefaultDkimOptions();

// Reads checks.dkim; errors (file:line) go through `reader`. Returns
// nullptr when any option is bad.
std::shared_ptr<const DkimOptions> ReadDkimOptions(ConfigReader& reader);

}  // namespace portcullis::dkim
