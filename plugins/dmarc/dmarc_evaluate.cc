#include "dmarc_evaluate.h"

namespace portcullis::dmarc {

bool IsAligned(const PublicSuffixList& psl, std::string_view author_domain,
               std::string_view authenticated_domain, Alignment mode) {
  auto author = NormaliseDomain(author_domain);
  auto authenticated = NormaliseDomain(authenticated_domain);
  if (!author || !authenticated) return false;
  if (*author == *authenticated) return true;
  if (mode == Alignment::kStrict) return false;  // 3.1.1 / 3.1.2 strict mode
  // 3.1.1 / 3.1.2 relaxed: the Organizational Domains are the same.
  return psl.OrganizationalDomain(*author) == psl.OrganizationalDomain(*authenticated);
}

std::string_view DmarcResultName(DmarcResult result) {
  switch (result) {
    case DmarcResult::kPass: return "pass";
    case DmarcResult::kFail: return "fail";
    case DmarcResult::kNone: return "none";
    case DmarcResult::kTemperror: return "temperror";
    case DmarcResult::kPermerror: return "permerror";
  }
  return "none";
}

Verdict Evaluate(const PublicSuffixList& psl, const std::string& author_domain,
                 const Discovery& discovery, const AuthFacts& facts, double draw) {
  Verdict verdict;
  verdict.author_domain = author_domain;
  switch (discovery.status) {
    case DiscoveryStatus::kFound: break;
    case DiscoveryStatus::kNone:
      verdict.result = DmarcResult::kNone;
      verdict.reason = "no DMARC record";
      return verdict;
    case DiscoveryStatus::kMultiple:
      // 6.6.3 step 3: several records: "DMARC processing is not applied".
      verdict.result = DmarcResult::kNone;
      verdict.reason = discovery.error;
      return verdict;
    case DiscoveryStatus::kInvalid:
      // 11.2: "a syntactically incorrect DMARC record" is permerror.
      verdict.result = DmarcResult::kPermerror;
      verdict.reason = discovery.error;
      return verdict;
    case DiscoveryStatus::kTempError:
      verdict.result = DmarcResult::kTemperror;
      verdict.reason = discovery.error;
      return verdict;
  }
  const DmarcRecord& record = discovery.record;
  // 6.3 "sp": the policy for subdomains of the domain that published it,
  // i.e. when the record came from the Organizational Domain fallback.
  verdict.requested = discovery.at_organizational_domain && record.subdomain_policy
                          ? *record.subdomain_policy
                          : record.policy;

  // 4.2: DMARC passes when SPF or DKIM passes with an aligned identifier.
  verdict.spf_aligned = facts.spf_result == "pass" &&
                        IsAligned(psl, author_domain, facts.spf_domain, record.spf_alignment);
  for (const AuthFacts::Dkim& dkim : facts.dkim) {
    if (dkim.result == "pass" &&
        IsAligned(psl, author_domain, dkim.domain, record.dkim_alignment)) {
      verdict.dkim_aligned = true;
      break;
    }
  }
  if (verdict.spf_aligned || verdict.dkim_aligned) {
    verdict.result = DmarcResult::kPass;
    verdict.applied = Policy::kNone;
    verdict.reason = verdict.dkim_aligned ? "aligned DKIM pass" : "aligned SPF pass";
    return verdict;
  }
  // RFC 7489 leaves open a message whose only aligned identifier hit a
  // transient error. Enforcing reject on a DNS hiccup loses mail for good,
  // so, as DMARCbis (draft-ietf-dmarc-dmarcbis, "temperror") suggests, an
  // aligned SPF or DKIM temperror makes the result temperror, not fail.
  bool aligned_temperror = facts.spf_result == "temperror" &&
                           IsAligned(psl, author_domain, facts.spf_domain, record.spf_alignment);
  for (const AuthFacts::Dkim& dkim : facts.dkim) {
    if (dkim.result == "temperror" &&
        IsAligned(psl, author_domain, dkim.domain, record.dkim_alignment)) {
      aligned_temperror = true;
    }
  }
  if (aligned_temperror) {
    verdict.result = DmarcResult::kTemperror;
    verdict.applied = Policy::kNone;
    verdict.reason = "aligned SPF or DKIM temperror";
    return verdict;
  }
  verdict.result = DmarcResult::kFail;
  verdict.reason = "no aligned SPF or DKIM pass";
  verdict.applied = verdict.requested;
  // 6.6.4: pct% of failing mail gets the policy; the rest the next-lower.
  if (verdict.requested != Policy::kNone && !(draw < record.percent)) {
    verdict.sampled_out = true;
    verdict.applied = NextLowerPolicy(verdict.requested);
    verdict.reason += "; not sampled (pct=" + std::to_string(record.percent) + ")";
  }
  return verdict;
}

}  // namespace portcullis::dmarc
