// The resolver's metric catalogue, declared in one place: every series the
// DNS resolver exports, named portcullis_dns_<what>_<unit>, with bounded
// labels only (record type, RCODE) — never a name or an address.
//
// Built once per resolver from an optional registry: without one every
// method does nothing (offline commands). Two resolvers on one registry
// share the series (prometheus-cpp returns the existing family and metric).
// Thread-safe (prometheus-cpp metrics are atomic); the per-label metrics are
// resolved at construction, so counting never looks a family up.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>

#include "portcullis/dns.h"

namespace portcullis::dns {

class DnsMetrics {
 public:
  explicit DnsMetrics(prometheus::Registry* registry);

  void QuerySent(RecordType type);
  void CacheHit() { Increment(cache_hits_); }
  void CacheMiss() { Increment(cache_misses_); }
  void Timeout() { Increment(timeouts_); }
  void Response(int rcode);
  void QueryDone(double seconds) {
    if (duration_) duration_->Observe(seconds);
  }
  void Merged() { Increment(merged_); }
  void TcpFallback() { Increment(tcp_fallbacks_); }

 private:
  static void Increment(prometheus::Counter* counter) {
    if (counter) counter->Increment();
  }

  // Indexed by kTypeLabels / kRcodeLabels in dns_metrics.cc.
  std::array<prometheus::Counter*, 7> queries_sent_{};
  std::array<prometheus::Counter*, 7> responses_{};
  prometheus::Counter* cache_hits_ = nullptr;
  prometheus::Counter* cache_misses_ = nullptr;
  prometheus::Counter* timeouts_ = nullptr;
  prometheus::Counter* merged_ = nullptr;
  prometheus::Counter* tcp_fallbacks_ = nullptr;
  prometheus::Histogram* duration_ = nullptr;
};

}  // namespace portcullis::dns
