#include "dkim_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <string>

namespace portcullis::dkim {

std::unique_ptr<DkimMetrics> DkimMetrics::Create(prometheus::Registry& registry) {
  auto& signatures = prometheus::BuildCounter()
                         .Name("portcullis_dkim_signatures_total")
                         .Help("DKIM signatures verified, by RFC 8601 result")
                         .Register(registry);
  auto& messages = prometheus::BuildCounter()
                       .Name("portcullis_dkim_messages_total")
                       .Help("Messages checked for DKIM, by overall result")
                       .Register(registry);
  auto metrics = std::unique_ptr<DkimMetrics>(new DkimMetrics());
  for (size_t i = 0; i < kResultKinds; ++i) {
    const std::string name(DkimResultName(static_cast<DkimResult>(i)));
    metrics->signatures_[i] = &signatures.Add({{"result", name}});
    metrics->messages_[i] = &messages.Add({{"result", name}});
  }
  metrics->messages_[kResultKinds] = &messages.Add({{"result", "none"}});
  return metrics;
}

void DkimMetrics::Count(const std::vector<SignatureResult>& results) const {
  const SignatureResult* best = nullptr;
  const CheckStatus overall = OverallStatus(results);
  for (const SignatureResult& result : results) {
    if (result.ignored) continue;
    signatures_[static_cast<size_t>(result.result)]->Increment();
    if (ToCheckStatus(result.result) == overall) best = &result;
  }
  messages_[best ? static_cast<size_t>(best->result) : kResultKinds]->Increment();
}

}  // namespace portcullis::dkim
