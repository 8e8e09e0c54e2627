// The resolver's outstanding queries, driven by its loop thread: merging of
// identical lookups, attempts over UDP (then TCP after TC=1) across the
// servers with backoff, deadlines per query and per waiting caller, CNAME
// re-queries, and completion into the cache and the callbacks.
//
// Attempt schedule: try i (0 <= i < servers x attempts) asks server
// i % servers in round i / servers and waits attempt_timeout x 2^round for
// it, never past the query's deadline. A timeout, a socket error, a failing
// RCODE (SERVFAIL, REFUSED, ...) or a broken TCP reply moves on to the next
// try; mismatched or unparsable UDP datagrams are ignored (the attempt keeps
// waiting: RFC 5452 defence against forged answers). When every try failed
// the answer is kTempError with the last failure.
//
// Merging: a Submit() for a (name, type) already in flight adds a waiter to
// that query. The query runs until the latest waiter's deadline; each waiter
// whose own deadline passes first gets kTempError "timeout" then.
//
// Lifetime: owned by LdnsResolver; owns the sockets of its attempts (closed
// when an attempt ends and by StopAll()). Loop thread only: every method
// must be called from it. Callbacks are run at the end of each public
// method, after the runner's state is consistent, and never under a lock;
// they may call Resolver::Lookup (which queues, never re-enters this class).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dns/dns_cache.h"
#include "dns/dns_event_loop.h"
#include "dns/dns_metrics.h"
#include "dns/dns_query_packet.h"
#include "dns/dns_random.h"
#include "dns/dns_response_reader.h"
#include "dns/dns_server_list.h"
#include "dns/dns_transport_tcp.h"
#include "dns/dns_transport_udp.h"
#include "portcullis/dns.h"

namespace portcullis::dns {

struct RunnerConfig {
  std::vector<ServerAddress> servers;  // at least one
  std::chrono::milliseconds attempt_timeout{800};
  int attempts = 3;
  uint16_t edns_udp_size = 1232;
  CachePolicy cache_policy;
};

// One Lookup() that the cache could not answer.
struct Submission {
  std::string name;  // normalised
  RecordType type = RecordType::kA;
  std::chrono::steady_clock::time_point deadline;  // already capped by query_timeout
  LookupCallback done;
};

class QueryRunner {
 public:
  using Clock = std::chrono::steady_clock;

  // `loop`, `cache` and `metrics` must outlive the runner.
  QueryRunner(RunnerConfig config, EventLoop* loop, DnsCache* cache, DnsMetrics* metrics);
  ~QueryRunner();
  QueryRunner(const QueryRunner&) = delete;
  QueryRunner& operator=(const QueryRunner&) = delete;

  void Submit(Submission submission);
  void OnEvent(uint64_t token, uint32_t events);
  void OnTimers(Clock::time_point now);
  // When OnTimers() next has work; Clock::time_point::max() when idle.
  Clock::time_point NextTimer() const;
  // Completes every waiter with kTempError `error` and closes all sockets.
  void StopAll(const std::string& error);

  size_t in_flight() const { return queries_.size(); }

 private:
  struct Waiter {
    Clock::time_point deadline;
    LookupCallback done;
  };
  struct Query {
    uint64_t id = 0;
    std::string key;   // KeyOf(name, type): the merge key
    std::string name;  // as looked up
    RecordType type = RecordType::kA;
    std::string qname;  // asked now: differs from name after a CNAME re-query
    CnameChain chain;
    std::vector<Waiter> waiters;
    Clock::time_point started, deadline;
    Clock::time_point armed = Clock::time_point::max();  // its entry in timers_
    // The current attempt.
    size_t try_index = 0;
    uint64_t token = 0;  // 0: no attempt running
    std::unique_ptr<UdpExchange> udp;
    std::unique_ptr<TcpExchange> tcp;
    uint32_t tcp_events = 0;
    QueryIdentity identity;
    Clock::time_point attempt_full_deadline = Clock::time_point::max();  // start + wait
    Clock::time_point attempt_deadline = Clock::time_point::max();       // capped by `deadline`
    bool saw_malformed = false;  // during the current attempt
    std::string last_error = "timeout";
  };

  static std::string KeyOf(std::string_view name, RecordType type);

  // Each may finish (and destroy) the query: callers return right after.
  void StartAttempt(Query& query, Clock::time_point now, bool tcp);
  void NextTry(Query& query, Clock::time_point now, std::string error);
  void OnUdpReadable(Query& query);
  void OnTcpReady(Query& query, uint32_t events);
  void OnResponse(Query& query, PacketPtr packet, bool via_tcp);
  void OnQueryTimer(Query& query, Clock::time_point now);
  void Finish(Query& query, const AnswerPtr& answer, bool count_duration = true);

  void EndAttempt(Query& query);
  void Arm(Query& query);
  void Disarm(Query& query);
  std::string TimeoutError(const Query& query) const;
  void RunCallbacks();

  RunnerConfig config_;
  EventLoop* loop_;
  DnsCache* cache_;
  DnsMetrics* metrics_;
  RandomIds ids_;
  AnswerPtr timeout_answer_;
  std::vector<uint8_t> buffer_;  // one UDP datagram
  uint64_t next_id_ = 0;
  uint64_t next_token_ = EventLoop::kWakeToken;
  std::unordered_map<uint64_t, std::unique_ptr<Query>> queries_;
  std::unordered_map<std::string, uint64_t> by_key_;
  std::unordered_map<uint64_t, uint64_t> by_token_;              // attempt token -> query id
  std::set<std::pair<Clock::time_point, uint64_t>> timers_;      // (when, query id)
  std::vector<std::pair<LookupCallback, AnswerPtr>> callbacks_;  // run by RunCallbacks
};

// A fresh kTempError/kPermError answer.
AnswerPtr ErrorAnswer(Status status, std::string error);

}  // namespace portcullis::dns
