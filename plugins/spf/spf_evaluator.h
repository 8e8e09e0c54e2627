// check_host() (RFC 7208 section 4) as an asynchronous state machine on the
// resolver's callback API.
//
// Start() returns a handle at once; the evaluation proceeds as answers
// arrive — inline on the calling thread for cache hits, on the resolver's
// loop thread otherwise — and sets the handle's AsyncResult exactly once.
// The machine is an explicit loop (Drive) over steps; an answer delivered
// inline while the loop runs is only stored and the loop picks it up, so
// there is no recursion through callbacks whatever the record tree. At most
// one batch of lookups is outstanding at a time (one query, or the address
// queries of one MX or PTR set in parallel).
//
// Ownership: the handle and every pending callback share the evaluation, so
// it lives until both are gone; the Resolver must outlive it (dns.h: it
// outlives every check). Cancel() and result() are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "portcullis/async_result.h"
#include "portcullis/deadline.h"
#include "portcullis/dns.h"
#include "portcullis/ip_address.h"
#include "spf_record_cache.h"
#include "spf_result.h"

namespace portcullis::spf {

// RFC 7208 4.6.4 processing limits. They are the RFC's numbers, not options.
inline constexpr int kMaxDnsTerms = 10;     // include a mx ptr exists redirect (+ %{p})
inline constexpr int kMaxVoidLookups = 2;   // NXDOMAIN / NODATA answers
inline constexpr size_t kMaxMxNames = 10;   // per mx: more is a permerror
inline constexpr size_t kMaxPtrNames = 10;  // per PTR set: the rest is ignored
// RFC 7208 4.6.4: an evaluation "SHOULD allow at least 20 seconds".
inline constexpr std::chrono::milliseconds kDefaultEvaluationTimeout{20000};

// The arguments of check_host() (4.1) plus what the macros need.
struct CheckHostRequest {
  IpAddress ip;                      // <ip>; an IPv4-mapped IPv6 address counts as IPv4
  std::string domain;                // <domain>
  std::string sender;                // <sender>: "local@domain", "@domain" or a bare domain
  std::string helo;                  // %{h}
  std::string receiver = "unknown";  // %{r}: the checking host's name (7.3)
};

// The MAIL FROM identity (2.4): the sender's domain, or for a null
// reverse-path the HELO identity.
CheckHostRequest MailFromRequest(const IpAddress& ip, std::string_view mail_from,
                                 std::string_view helo);
// The HELO identity (2.3): <sender> "postmaster@HELO", <domain> HELO.
CheckHostRequest HeloRequest(const IpAddress& ip, std::string_view helo);

struct SpfOutcome {
  SpfResult result = SpfResult::kNone;
  std::string domain;       // the <domain> of the request
  std::string explanation;  // 6.2: fail with a usable exp= only; printable ASCII
  std::string reason;       // short, printable: what matched or what went wrong
  int dns_terms = 0;        // 4.6.4 counters (for tests and the command)
  int void_lookups = 0;
};

struct EvaluationOptions {
  // No lookup is answered later than this; past it the result is temperror.
  Deadline deadline = Deadline::After(kDefaultEvaluationTimeout);
  std::shared_ptr<RecordCache> cache;  // null: parse every record each time
  int64_t now = 0;                     // %{t}; 0 means the current time
};

class Evaluation {
 public:
  virtual ~Evaluation() = default;
  // Set once, with the outcome (possibly before Start() returns).
  virtual AsyncResultPtr<SpfOutcome> result() const = 0;
  // Stops issuing lookups; the result becomes temperror with `reason`
  // unless it was already set. Late answers are dropped.
  virtual void Cancel(std::string_view reason) = 0;
};

std::shared_ptr<Evaluation> StartCheckHost(dns::Resolver& resolver, CheckHostRequest request,
                                           EvaluationOptions options);

// Convenience for tests and the command: start and wait until the deadline.
SpfOutcome CheckHostAndWait(dns::Resolver& resolver, CheckHostRequest request,
                            EvaluationOptions options);

}  // namespace portcullis::spf
