#include "greylist_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <string>

namespace portcullis::greylist {

std::unique_ptr<GreylistMetrics> GreylistMetrics::Create(prometheus::Registry& registry) {
  auto& family = prometheus::BuildCounter()
                     .Name("portcullis_greylist_decisions_total")
                     .Help("Greylisting decisions per recipient, by decision")
                     .Register(registry);
  auto metrics = std::unique_ptr<GreylistMetrics>(new GreylistMetrics());
  for (size_t i = 0; i < kDecisionCount; ++i) {
    metrics->decisions_[i] =
        &family.Add({{"decision", std::string(DecisionLabel(static_cast<Decision>(i)))}});
  }
  return metrics;
}

void GreylistMetrics::Count(Decision decision) const {
  decisions_[static_cast<size_t>(decision)]->Increment();
}

}  // namespace portcullis::greylist
