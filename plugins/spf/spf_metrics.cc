#include "spf_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

namespace portcullis::spf {

std::unique_ptr<SpfMetrics> SpfMetrics::Create(prometheus::Registry& registry) {
  auto& family = prometheus::BuildCounter()
                     .Name("portcullis_spf_results_total")
                     .Help("SPF evaluations by identity (mailfrom, helo) and RFC 7208 result")
                     .Register(registry);
  auto metrics = std::unique_ptr<SpfMetrics>(new SpfMetrics());
  for (int identity = 0; identity < 2; ++identity) {
    for (int i = 0; i < kResultCount; ++i) {
      metrics->counters_[identity][i] =
          &family.Add({{"identity", identity == 0 ? "mailfrom" : "helo"},
                       {"result", std::string(ResultName(static_cast<SpfResult>(i)))}});
    }
  }
  return metrics;
}

void SpfMetrics::Count(Identity identity, SpfResult result) const {
  counters_[identity == Identity::kMailFrom ? 0 : 1][static_cast<size_t>(result)]->Increment();
}

}  // namespace portcullis::spf
