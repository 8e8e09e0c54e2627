// Turns a message's per-signature DKIM results into the CheckResult the
// pipeline consumes: status, symbols, RFC 8601 resinfo fragments and the
// structured AuthMethodResult list.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "dkim_options.h"
#include "dkim_result.h"
#include "portcullis/check_result.h"

namespace portcullis::dkim {

// "dkim=pass header.d=example.com header.s=sel header.a=rsa-sha256
// header.b=abcdefgh", with "(reason)" after the result when there is one.
// header.b is the first 8 characters of b= (RFC 6008 2).
std::string AuthResultsFragment(const SignatureResult& result);

CheckResult BuildCheckResult(const std::vector<SignatureResult>& results, bool too_many,
                             const DkimOptions& options);

}  // namespace portcullis::dkim
