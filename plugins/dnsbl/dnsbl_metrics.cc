#include "dnsbl_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

namespace portcullis::dnsbl {

std::unique_ptr<DnsblMetrics> DnsblMetrics::Create(prometheus::Registry& registry,
                                                   const DnsblConfig& config) {
  auto& family = prometheus::BuildCounter()
                     .Name("portcullis_dnsbl_lookups_total")
                     .Help("DNSBL answers by list (zone) and result")
                     .Register(registry);
  auto metrics = std::unique_ptr<DnsblMetrics>(new DnsblMetrics());
  constexpr ListAnswer::Kind kAll[kKinds] = {ListAnswer::Kind::kNotListed,
                                             ListAnswer::Kind::kListed, ListAnswer::Kind::kError,
                                             ListAnswer::Kind::kTempError};
  for (const DnsblList& list : config.lists) {
    std::array<prometheus::Counter*, kKinds> counters{};
    for (ListAnswer::Kind kind : kAll) {
      counters[static_cast<size_t>(kind)] =
          &family.Add({{"list", list.zone}, {"result", std::string(ListAnswerKindName(kind))}});
    }
    metrics->counters_.push_back(counters);
  }
  return metrics;
}

void DnsblMetrics::Count(size_t list, ListAnswer::Kind kind) const {
  if (list < counters_.size()) counters_[list][static_cast<size_t>(kind)]->Increment();
}

}  // namespace portcullis::dnsbl
