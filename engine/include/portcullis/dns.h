// The DNS contract every check uses: an asynchronous stub resolver.
//
// One Resolver serves the whole process (it is created by the engine, or by an
// offline command, and outlives every Snapshot and check that uses it). All
// methods are thread-safe. Lookups never block the caller: a lookup answered
// from the cache (or refused as invalid) calls `done` inline, on the calling
// thread, before Lookup() returns; any other lookup calls `done` later on the
// resolver's single event-loop thread. `done` is called exactly once per
// lookup and never while the resolver holds a lock, so it may start further
// lookups (an SPF include chains from the previous answer this way).
// Callbacks run on the loop thread must be short: no blocking, no waiting.
//
// Design choice (see docs/DESIGN.md "DNS"): callbacks underneath, because
// chained evaluations (SPF) stay on the loop thread with no hand-offs, and a
// future-like AsyncResult on top for the single bounded wait at end of
// message.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/async_result.h"
#include "portcullis/deadline.h"
#include "portcullis/ip_address.h"

namespace prometheus {
class Registry;
}

namespace portcullis::dns {

enum class RecordType : uint16_t {
  kA = 1,
  kNs = 2,
  kCname = 5,
  kPtr = 12,
  kMx = 15,
  kTxt = 16,
  kAaaa = 28,
};

std::string_view RecordTypeName(RecordType type);  // "A", "TXT", ...

enum class Status {
  kOk,         // records of the asked type at the name (after any CNAMEs)
  kNxDomain,   // RCODE 3: the name does not exist (RFC 2308 "name error")
  kNoData,     // the name exists but has no records of this type (RFC 2308)
  kTempError,  // timeout, SERVFAIL, REFUSED, unreachable servers, malformed
               // or mismatched answers: a retry later may succeed
  kPermError,  // the question itself is unusable (a label over 63 octets, a
               // name over 253, an empty label): never sent
};

std::string_view StatusName(Status status);  // "ok", "nxdomain", ...

struct MxRecord {
  uint16_t preference = 0;
  std::string exchange;  // lower-case, no trailing dot; "" for a null MX "."
};

// One answer. Names are lower-case without the trailing dot. Only the field
// that matches the asked type is filled.
struct Answer {
  Status status = Status::kTempError;
  std::string error;  // why, for kTempError and kPermError ("timeout", "SERVFAIL")
  // Seconds this answer stays valid (positive: the lowest TTL of the RRset and
  // the CNAMEs leading to it; negative: RFC 2308 section 5, from the SOA).
  uint32_t ttl = 0;
  std::vector<IpAddress> addresses;  // A, AAAA
  std::vector<std::string> names;    // PTR, NS, CNAME (when CNAME is asked)
  std::vector<MxRecord> mx;          // MX
  // TXT: one entry per record, its character-strings concatenated with no
  // separator (RFC 7208 3.3 needs exactly this).
  std::vector<std::string> texts;
};

using AnswerPtr = std::shared_ptr<const Answer>;
using LookupCallback = std::function<void(const AnswerPtr&)>;

class Resolver {
 public:
  virtual ~Resolver() = default;

  // Looks up `name` (with or without the trailing dot, any case). The answer
  // is kTempError "timeout" if nothing usable arrived by `deadline` (the
  // resolver's own per-query limits may end it earlier).
  virtual void Lookup(std::string_view name, RecordType type, Deadline deadline,
                      LookupCallback done) = 0;

  // The same lookup as a handle to wait on at end of message.
  AsyncResultPtr<AnswerPtr> Lookup(std::string_view name, RecordType type,
                                   Deadline deadline) {
    auto result = MakeAsyncResult<AnswerPtr>();
    Lookup(name, type, deadline, [result](const AnswerPtr& answer) { result->Set(answer); });
    return result;
  }
};

// Where and how the resolver asks. Defaults document themselves.
struct ResolverOptions {
  // "HOST" or "HOST:PORT" or "[V6]:PORT"; empty means the nameserver lines
  // of /etc/resolv.conf (and 127.0.0.1:53 when it has none).
  std::vector<std::string> servers;
  // One attempt's wait before retrying with the next server; doubles per
  // round (backoff) up to the query's deadline.
  std::chrono::milliseconds attempt_timeout{800};
  int attempts = 3;  // rounds over the server list
  // Whole-query limit when the caller's deadline is later.
  std::chrono::milliseconds query_timeout{5000};
  size_t cache_max_entries = 100000;  // 0 disables the cache
  uint32_t cache_min_ttl = 0;         // floor, seconds
  uint32_t cache_max_ttl = 86400;     // cap, seconds (also caps negative TTLs)
  uint32_t negative_max_ttl = 3600;   // cap for NXDOMAIN/NODATA (RFC 2308 suggests hours)
  uint16_t edns_udp_size = 1232;      // advertised EDNS0 payload; 0 disables EDNS0

  bool operator==(const ResolverOptions&) const = default;
};

// Creates the ldns/epoll resolver and starts its loop thread. `metrics` may
// be null (offline commands). Returns nullptr and sets `error` when the
// options are unusable (no server, bad address).
std::unique_ptr<Resolver> MakeResolver(const ResolverOptions& options,
                                       prometheus::Registry* metrics, std::string* error);

// The names RFC 5782 and RFC 1035 3.5 build from an address:
// "2.0.0.127" for 127.0.0.2, "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.4.0"
// for 2001:db8:1:2:3:4:567:89ab — without a zone or the trailing dot.
std::string ReverseName(const IpAddress& address);

}  // namespace portcullis::dns
