// The greylist check's metrics, declared in one place:
//
//   portcullis_greylist_decisions_total{decision}
//     one per recipient decided; `decision` is new | early | passed | known
//     | auto_allowlisted | allowlisted | skipped | store_error | rcpt_limit
//     (greylist_decision.h). Store errors are decision="store_error".
//
// Store latency histograms belong to the store layer, not here. Never an
// address or a domain in a label.
//
// Built once per config Snapshot when CheckContext::metrics is set; the
// counters live in the process-wide registry, so a GreylistMetrics may be
// used from any thread and counting is atomic.
#pragma once

#include <array>
#include <memory>

#include "greylist_decision.h"

namespace prometheus {
class Counter;
class Registry;
}  // namespace prometheus

namespace portcullis::greylist {

class GreylistMetrics {
 public:
  static std::unique_ptr<GreylistMetrics> Create(prometheus::Registry& registry);
  void Count(Decision decision) const;

 private:
  std::array<prometheus::Counter*, kDecisionCount> decisions_{};
};

}  // namespace portcullis::greylist
