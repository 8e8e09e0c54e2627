// Identifier alignment (RFC 7489 3.1) and the DMARC result and disposition
// for one message (6.6.2, 6.6.4): the pure core of the check, fed with the
// SPF and DKIM facts other checks found and the discovered policy record.
//
// Pure functions over plain values (the random draw for "pct" sampling is an
// argument so that tests can fix it); thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dmarc_discovery.h"
#include "dmarc_record.h"
#include "portcullis/public_suffix.h"

namespace portcullis::dmarc {

// 3.1: relaxed: the same Organizational Domain; strict: the same name
// (case-insensitive, one trailing dot ignored). An empty domain never aligns.
bool IsAligned(const PublicSuffixList& psl, std::string_view author_domain,
               std::string_view authenticated_domain, Alignment mode);

// What the authentication checks established (RFC 8601 result names).
struct AuthFacts {
  // RFC 7208 result for MAIL FROM, and the domain it was for: the MAIL FROM
  // domain, or the HELO name when MAIL FROM was null (RFC 7208 2.4).
  std::string spf_result;
  std::string spf_domain;
  struct Dkim {
    std::string result;  // "pass", "fail", ...
    std::string domain;  // the signature's d=
  };
  std::vector<Dkim> dkim;
};

// RFC 7489 11.2 dmarc= results.
enum class DmarcResult { kPass, kFail, kNone, kTemperror, kPermerror };
std::string_view DmarcResultName(DmarcResult result);  // "pass", ...

struct Verdict {
  DmarcResult result = DmarcResult::kNone;
  std::string author_domain;         // header.from
  Policy requested = Policy::kNone;  // p, or sp through the fallback
  Policy applied = Policy::kNone;    // policy.dmarc: the disposition
  bool sampled_out = false;          // 6.6.4: pct excluded this message
  bool spf_aligned = false;          // SPF passed and aligned
  bool dkim_aligned = false;         // a DKIM signature passed and aligned
  std::string reason;                // short text for the symbol detail
};

// `draw` is uniform in [0, 100): the message is subject to the policy when
// draw < pct (6.6.4: pct=0 never, pct=100 always).
Verdict Evaluate(const PublicSuffixList& psl, const std::string& author_domain,
                 const Discovery& discovery, const AuthFacts& facts, double draw);

}  // namespace portcullis::dmarc
