#include "content_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace portcullis::content_check {

std::unique_ptr<ContentMetrics> ContentMetrics::Create(prometheus::Registry& registry,
                                                       const content::RuleSet& rules) {
  auto metrics = std::unique_ptr<ContentMetrics>(new ContentMetrics());
  auto& hits = prometheus::BuildCounter()
                   .Name("portcullis_content_rule_hits_total")
                   .Help("Messages each content rule or meta matched")
                   .Register(registry);
  for (const content::Entry& entry : rules.entries()) {
    metrics->hits_.push_back(&hits.Add({{"rule", entry.name}}));
  }
  // 10 us .. 1 s: a typical message scans in well under a millisecond.
  auto& scan = prometheus::BuildHistogram()
                   .Name("portcullis_content_scan_seconds")
                   .Help("Time per message spent scanning content rules")
                   .Register(registry);
  metrics->scan_seconds_ = &scan.Add({}, prometheus::Histogram::BucketBoundaries{
                                             1e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 1});
  auto& build = prometheus::BuildGauge()
                    .Name("portcullis_content_build_seconds")
                    .Help("Duration of the last content rule-set build")
                    .Register(registry);
  build.Add({}).Set(rules.stats().seconds);
  auto& databases = prometheus::BuildGauge()
                        .Name("portcullis_content_databases")
                        .Help("Hyperscan databases of the last build, by source")
                        .Register(registry);
  databases.Add({{"source", "compiled"}}).Set(rules.stats().compiled);
  databases.Add({{"source", "cache"}}).Set(rules.stats().loaded_from_cache);
  return metrics;
}

void ContentMetrics::Hit(size_t entry) const {
  if (entry < hits_.size()) hits_[entry]->Increment();
}

void ContentMetrics::ScanSeconds(double seconds) const { scan_seconds_->Observe(seconds); }

}  // namespace portcullis::content_check
