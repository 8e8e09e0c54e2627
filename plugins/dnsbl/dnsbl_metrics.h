// The dnsbl check's metrics, declared in one place:
//
//   portcullis_dnsbl_lookups_total{list, result}
//     one per answered query; `list` is the zone (operator-configured, so
//     bounded by kMaxLists), `result` is not_listed | listed | error |
//     temperror. Hits are result="listed", errors the last two.
//
// Never an address or a looked-up domain in a label.
//
// Built once per config Snapshot when CheckContext::metrics is set; the
// counters live in the process-wide registry (prometheus-cpp merges a
// family registered again on reload), so a DnsblMetrics may be used from
// any thread, including the resolver's loop thread, and counting is atomic.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "dnsbl_answer.h"
#include "dnsbl_config.h"

namespace prometheus {
class Counter;
class Registry;
}  // namespace prometheus

namespace portcullis::dnsbl {

class DnsblMetrics {
 public:
  // One set of counters per list of `config`, in list order.
  static std::unique_ptr<DnsblMetrics> Create(prometheus::Registry& registry,
                                              const DnsblConfig& config);

  void Count(size_t list, ListAnswer::Kind kind) const;

 private:
  static constexpr size_t kKinds = 4;
  std::vector<std::array<prometheus::Counter*, kKinds>> counters_;
};

}  // namespace portcullis::dnsbl
