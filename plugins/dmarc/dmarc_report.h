// What the dmarc check reads from the checks before it and what it reports:
// SPF/DKIM facts from their structured results (check_result.h
// AuthMethodResult), and the CheckResult for a Verdict (RFC 8601 / RFC 7489
// 11.2 Authentication-Results, symbols, the action request).
//
// Pure functions over plain values; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "dmarc_evaluate.h"
#include "dmarc_options.h"
#include "portcullis/check_result.h"

namespace portcullis::dmarc {

// The first "spf" method result (its smtp.mailfrom domain, or smtp.helo
// name) and every "dkim" one (header.d) among `finished`, whichever check
// produced them. Absent checks simply contribute nothing.
AuthFacts FactsFromResults(const std::vector<CheckResult>& finished);

// The whole result for a Verdict: status, symbols (DMARC_<RESULT>, and
// DMARC_POLICY_REJECT / _QUARANTINE for the applied disposition), the A-R
// fragment and method, and with honour_policy the reject or quarantine.
CheckResult ResultForVerdict(const DmarcOptions& options, const Verdict& verdict);

// For a message without a usable Author Domain (dmarc_from.h): permerror
// with DMARC_PERMERROR and DMARC_BAD_FROM; no action.
CheckResult ResultForBadFrom(const DmarcOptions& options, const std::string& problem);

// "dmarc=pass (comment) header.from=example.com policy.dmarc=none"
std::string AuthResultsFragment(const Verdict& verdict);

}  // namespace portcullis::dmarc
