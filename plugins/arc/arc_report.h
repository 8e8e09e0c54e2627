// Turns a ChainResult into the arc check's CheckResult: the ARC_<RESULT>
// symbol, the Authentication-Results fragment (RFC 8617 10.1 "arc"
// method) and the structured AuthMethodResult with the sealer domains.
//
// Pure; thread-safe.
#pragma once

#include <string>

#include "arc_options.h"
#include "arc_verifier.h"
#include "portcullis/check_result.h"

namespace portcullis::arc {

// "arc=pass (i=2)", "arc=fail (reason)", "arc=none"; "" for temperror,
// which RFC 8617 does not define as an arc result.
std::string AuthResultsFragment(const ChainResult& result);

CheckResult BuildCheckResult(const ChainResult& result, const ArcOptions& options);

}  // namespace portcullis::arc
