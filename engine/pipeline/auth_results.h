// Authentication-Results (RFC 8601): building ours and recognising incoming
// ones that claim our authserv-id.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portcullis/check_result.h"

namespace portcullis {

// True when the header value's authserv-id (the first token, after any
// leading CFWS) equals `authserv_id`, case-insensitively (RFC 8601 2.5).
bool AuthResultsClaimsId(std::string_view value, std::string_view authserv_id);

// The header value: "authserv-id; resinfo; resinfo" or "authserv-id; none"
// (RFC 8601 2.2) when no method produced a result. Long values are folded
// with "\n\t" between resinfos, which both Postfix and Sendmail accept.
std::string BuildAuthResults(const std::string& authserv_id,
                             const std::vector<CheckResult>& results);

}  // namespace portcullis
