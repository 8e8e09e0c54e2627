// The process's DNS stub resolver (dns::Resolver, see portcullis/dns.h):
// ldns builds and parses the packets, Portcullis owns the sockets and one
// event-loop thread.
//
// Lookup() runs on the caller's thread: it validates the name (kPermError
// inline), asks the cache (a hit calls back inline) and otherwise queues the
// lookup for the loop thread and wakes it through the event loop's eventfd.
// The loop thread owns the QueryRunner (everything in flight) and calls
// every other callback.
//
// Destruction stops the loop thread: every queued or outstanding lookup is
// completed once with kTempError "resolver stopped", all sockets are closed,
// and a Lookup() that races with the destructor is answered the same way,
// inline. The destructor must not run on the loop thread (from a callback).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dns/dns_cache.h"
#include "dns/dns_event_loop.h"
#include "dns/dns_metrics.h"
#include "dns/dns_query_runner.h"
#include "portcullis/dns.h"

namespace portcullis::dns {

class LdnsResolver : public Resolver {
 public:
  // Starts the loop thread. nullptr with `error` set when epoll or eventfd
  // cannot be created. `servers` must not be empty.
  static std::unique_ptr<LdnsResolver> Create(const ResolverOptions& options,
                                              std::vector<ServerAddress> servers,
                                              prometheus::Registry* metrics, std::string* error);
  ~LdnsResolver() override;

  using Resolver::Lookup;
  void Lookup(std::string_view name, RecordType type, Deadline deadline,
              LookupCallback done) override;

 private:
  LdnsResolver(const ResolverOptions& options, prometheus::Registry* metrics,
               std::unique_ptr<EventLoop> loop);
  void Run();

  const std::chrono::milliseconds query_timeout_;
  DnsMetrics metrics_;
  DnsCache cache_;
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<QueryRunner> runner_;  // loop thread only (after start)

  std::mutex mutex_;  // guards the two below
  std::vector<Submission> queue_;
  bool stopping_ = false;

  std::thread thread_;
};

}  // namespace portcullis::dns
