// The uribl check's metrics, declared in one place:
//
//   portcullis_uribl_lookups_total{list, result}
//     one per answered query; `list` is the zone (operator-configured, so
//     bounded by kMaxLists), `result` is not_listed | listed | error |
//     temperror.
//
// Never a URL, domain or address in a label.
//
// Built once per config Snapshot when CheckContext::metrics is set; the
// counters live in the process-wide registry (prometheus-cpp merges a family
// registered again on reload), so counting is atomic and safe from any
// thread, including the resolver's loop thread.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "dnsbl_answer.h"
#include "uribl_config.h"

namespace prometheus {
class Counter;
class Registry;
}  // namespace prometheus

namespace portcullis::uribl {

class UriblMetrics {
 public:
  // One set of counters per list of `config`, in list order.
  static std::unique_ptr<UriblMetrics> Create(prometheus::Registry& registry,
                                              const UriblConfig& config);

  void Count(size_t list, dnsbl::ListAnswer::Kind kind) const;

 private:
  static constexpr size_t kKinds = 4;
  std::vector<std::array<prometheus::Counter*, kKinds>> counters_;
};

}  // namespace portcullis::uribl
