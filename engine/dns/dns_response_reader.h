// Turns an accepted response (see dns_query_packet.h) into what the lookup
// does next: an Answer, a re-query of the name a CNAME chain led to, or a
// retry with the next server.
//
// RCODE (RFC 1035 4.1.1, RFC 6604 3: after CNAMEs it speaks of the last name):
// NOERROR with records of the asked type -> kOk; NOERROR without -> kNoData;
// NXDOMAIN -> kNxDomain; SERVFAIL, REFUSED and the rest -> next server.
// Negative answers take their TTL from the authority SOA, RFC 2308 5:
// min(SOA TTL, SOA MINIMUM); without an SOA they are not cacheable.
//
// Pure functions; thread-safe. The packet is only read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dns/ldns_include.h"
#include "portcullis/dns.h"

namespace portcullis::dns {

// RFC 1034 3.6.2 asks resolvers to bound CNAME chains. Real chains are one
// or two hops (CDNs); 8 hops leaves room and bounds work per lookup.
inline constexpr int kMaxCnameHops = 8;

// What one lookup carried from response to response while following CNAMEs.
struct CnameChain {
  int hops = 0;                    // CNAMEs followed so far
  uint32_t ttl = UINT32_MAX;       // lowest TTL among them
  std::vector<std::string> names;  // names visited, the first being the QNAME
};

struct ResponseReading {
  enum class Next {
    kAnswer,      // `answer` is final
    kRequery,     // ask `requery_name` (the end of `chain`) next
    kNextServer,  // this server failed: `error` says how
  };
  Next next = Next::kNextServer;
  Answer answer;           // kAnswer; ttl is the record TTL, before cache policy
  bool cacheable = false;  // kAnswer: false for a negative answer without SOA
  std::string requery_name;
  CnameChain chain;   // the chain after this response
  std::string error;  // kNextServer: "SERVFAIL", "REFUSED", "malformed answer"
};

// Reads `packet`, the answer to `qname` (the name asked in this query, which
// is the end of `chain` so far) of `type`. TTLs with the top bit set count as
// zero (RFC 2181 8).
ResponseReading ReadResponse(const ldns_pkt* packet, std::string_view qname, RecordType type,
                             const CnameChain& chain);

}  // namespace portcullis::dns
