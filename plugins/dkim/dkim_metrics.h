// The dkim check's metrics, declared in one place:
//
//   portcullis_dkim_signatures_total{result}
//     one per verified (not ignored) signature; result is one of pass,
//     fail, neutral, policy, temperror, permerror. Never a domain.
//   portcullis_dkim_messages_total{result}
//     one per message: the overall result, including none.
//
// Built once per config Snapshot when CheckContext::metrics is set (the
// families are merged by prometheus-cpp on reload); counting is atomic and
// may happen on any thread.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "dkim_options.h"
#include "dkim_result.h"

namespace prometheus {
class Counter;
class Registry;
}  // namespace prometheus

namespace portcullis::dkim {

class DkimMetrics {
 public:
  static std::unique_ptr<DkimMetrics> Create(prometheus::Registry& registry);
  void Count(const std::vector<SignatureResult>& results) const;

 private:
  DkimMetrics() = default;
  std::array<prometheus::Counter*, kResultKinds> signatures_{};
  // By DkimResult, then one more for none.
  std::array<prometheus::Counter*, kResultKinds + 1> messages_{};
};

}  // namespace portcullis::dkim
