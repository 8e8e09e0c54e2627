// The arc check's options (checks.arc in the config): the chain limits,
// the key lookup limit and the ARC_<RESULT> scores.
//
// Built by ReadArcOptions while a Snapshot is built (single-threaded);
// immutable afterwards and shared by the check and all its instances.
#pragma once

#include <memory>

#include "arc_verifier.h"
#include "portcullis/config_value.h"

namespace portcullis::arc {

struct ArcOptions {
  ChainOptions chain;
  double pass_score = -1;      // ARC_PASS
  double fail_score = 0;       // ARC_FAIL: a broken chain alone is no evidence of spam
  double none_score = 0;       // ARC_NONE
  double temperror_score = 0;  // ARC_TEMPERROR
};

// Reads checks.arc; errors (file:line) go through `reader`. Returns
// nullptr when any option is bad.
std::shared_ptr<const ArcOptions> ReadArcOptions(ConfigReader& reader);

}  // namespace portcullis::arc
