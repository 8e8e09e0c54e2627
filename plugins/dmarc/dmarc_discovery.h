// DMARC policy discovery (RFC 7489 6.6.3): the TXT records at
// _dmarc.<Author Domain>, and when there is no DMARC record there, at
// _dmarc.<Organizational Domain>.
//
// StartDiscovery runs on the process's resolver: the first lookup starts at
// once, the fallback from its callback on the resolver's thread (dns.h
// allows chaining), and the outcome is set on the returned AsyncResult,
// which the check waits on at end of message. Nothing here holds a lock or
// blocks; the returned handle is thread-safe (async_result.h). The caller
// keeps the resolver alive until the result is set or abandoned.
#pragma once

#include <memory>
#include <string>

#include "dmarc_record.h"
#include "portcullis/async_result.h"
#include "portcullis/dns.h"

namespace portcullis::dmarc {

enum class DiscoveryStatus {
  kFound,      // one DMARC record, parsed: `record`
  kNone,       // no DMARC record at either name
  kMultiple,   // 6.6.3 step 3: several records at one name: no policy
  kInvalid,    // one record that cannot be used (6.6.3 step 6): `error`
  kTempError,  // a DNS lookup failed transiently: `error`
};

struct Discovery {
  DiscoveryStatus status = DiscoveryStatus::kNone;
  DmarcRecord record;                     // kFound
  std::string record_domain;              // where the record was found (no "_dmarc.")
  bool at_organizational_domain = false;  // found through the fallback
  std::string error;
};

// `author_domain` and `organizational_domain` are lower-case; when they are
// equal there is no second lookup. Each lookup is bounded by `deadline`.
AsyncResultPtr<Discovery> StartDiscovery(dns::Resolver& resolver, std::string author_domain,
                                         std::string organizational_domain, Deadline deadline);

// The step for one answer, exposed for tests: kNone means "try the next
// name" (NXDOMAIN, NODATA, no v=DMARC1 text, or an unusable name).
Discovery DiscoveryFromAnswer(const dns::Answer& answer, const std::string& domain);

}  // namespace portcullis::dmarc
