// The spf check's metrics, declared in one place:
//
//   portcullis_spf_results_total{identity, result}
//     one per finished evaluation; identity is mailfrom | helo, result one
//     of the seven RFC 7208 results. Never a domain or an address.
//
// Built once per config Snapshot when CheckContext::metrics is set (the
// family is merged by prometheus-cpp on reload); counting is atomic and may
// happen on any thread.
#pragma once

#include <array>
#include <memory>

#include "spf_report.h"
#include "spf_result.h"

namespace prometheus {
class Counter;
class Registry;
}  // namespace prometheus

namespace portcullis::spf {

class SpfMetrics {
 public:
  static std::unique_ptr<SpfMetrics> Create(prometheus::Registry& registry);
  void Count(Identity identity, SpfResult result) const;

 private:
  SpfMetrics() = default;
  std::array<std::array<prometheus::Counter*, kResultCount>, 2> counters_{};
};

}  // namespace portcullis::spf
