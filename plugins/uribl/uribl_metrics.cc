#include "uribl_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

namespace portcullis::uribl {

using dnsbl::ListAnswer;

std::unique_ptr<UriblMetrics> UriblMetrics::Create(prometheus::Registry& registry,
                                                   const UriblConfig& config) {
  auto& family = prometheus::BuildCounter()
                     .Name("portcullis_uribl_lookups_total")
                     .Help("URI block list answers by list (zone) and result")
                     .Register(registry);
  auto metrics = std::unique_ptr<UriblMetrics>(new UriblMetrics());
  constexpr ListAnswer::Kind kAll[kKinds] = {ListAnswer::Kind::kNotListed,
                                             ListAnswer::Kind::kListed, ListAnswer::Kind::kError,
                                             ListAnswer::Kind::kTempError};
  for (const UriblList& list : config.lists) {
    std::array<prometheus::Counter*, kKinds> counters{};
    for (ListAnswer::Kind kind : kAll) {
      counters[static_cast<size_t>(kind)] = &family.Add(
          {{"list", list.zone()}, {"result", std::string(dnsbl::ListAnswerKindName(kind))}});
    }
    metrics->counters_.push_back(counters);
  }
  return metrics;
}

void UriblMetrics::Count(size_t list, dnsbl::ListAnswer::Kind kind) const {
  if (list < counters_.size()) counters_[list][static_cast<size_t>(kind)]->Increment();
}

}  // namespace portcullis::uribl
