// The per-signature DKIM results (RFC 8601 2.7.1) and how a message's
// signatures combine into one check status.
//
// Plain values; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portcullis/check_result.h"

namespace portcullis::dkim {

enum class DkimResult {
  kPass,       // the signature verified
  kFail,       // it did not: body hash mismatch, signature mismatch
  kNeutral,    // not evaluated (beyond max_signatures)
  kPolicy,     // verified but refused by local policy (reserved)
  kTemperror,  // key lookup timed out or SERVFAIL
  kPermerror,  // syntax, no key, revoked key, rsa-sha1, short key, expired
};

std::string_view DkimResultName(DkimResult result);
CheckStatus ToCheckStatus(DkimResult result);

struct SignatureResult {
  DkimResult result = DkimResult::kPermerror;
  std::string reason;     // "" for a plain pass
  std::string domain;     // d= (may be "" when the field did not parse)
  std::string selector;   // s=
  std::string algorithm;  // a=
  std::string identity;   // i= ("" when absent)
  std::string b_text;     // b= without FWS (header.b uses its start)
  bool ignored = false;   // beyond max_signatures: not evaluated
};

// The message's result: pass if any signature passes, none without
// signatures, else the most significant failure in this order: fail (a
// signature that was checked and is wrong), temperror (retrying may give a
// pass), permerror, policy, neutral. Ignored signatures do not count.
CheckStatus OverallStatus(const std::vector<SignatureResult>& results);

}  // namespace portcullis::dkim
