// Turns the retrieved answers of one message into the dnsbl CheckResult:
// symbols, status and an end-of-message request.
//
//   symbols  each list's rule symbols, each name once per list, with the
//            zone, the codes and (domain lists) the domain and identities in
//            the detail; DNSBL_ERROR / DNSBL_TEMPERROR once per list that
//            answered an error code / timed out or failed
//   status   fail if a blocklist hit, else pass if an allowlist hit, else
//            temperror if some list could not answer, else none
//   request  reject when a reject list listed a From header domain (known
//            only after the headers; RCPT TO handled the rest), else accept
//            when an allowlist with accept = true hit
//
// Pure function; thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "dnsbl_answer.h"
#include "dnsbl_config.h"
#include "dnsbl_lookups.h"
#include "portcullis/check_result.h"

namespace portcullis::dnsbl {

struct Retrieved {
  const Lookup* lookup = nullptr;
  std::optional<ListAnswer> answer;  // nullopt: no answer by the deadline
};

CheckResult BuildDnsblResult(const DnsblConfig& config, const std::vector<Retrieved>& retrieved);

// The reply a reject list gives for a hit, with the symbol as reason.
ActionRequest RejectRequest(const DnsblList& list, const ListAnswer& answer);

}  // namespace portcullis::dnsbl
