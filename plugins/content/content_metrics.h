// The content check's metrics, declared in one place:
//
//   portcullis_content_rule_hits_total{rule}
//     messages each rule or meta matched. Rule names come from the
//     operator's rule files (bounded by them), never from mail.
//   portcullis_content_scan_seconds
//     per message, the time spent in Hyperscan scans and meta evaluation.
//   portcullis_content_build_seconds
//     how long the last rule-set build (parse, compile or cache load) took.
//   portcullis_content_databases{source}
//     databases of the last build by source: compiled | cache.
//
// Built once per config Snapshot when CheckContext::metrics is set (families
// are merged by prometheus-cpp on reload); updates are atomic and may happen
// on any thread.
#pragma once

#include <memory>
#include <vector>

#include "portcullis/content/rule_set.h"

namespace prometheus {
class Counter;
class Histogram;
class Registry;
}  // namespace prometheus

namespace portcullis::content_check {

class ContentMetrics {
 public:
  static std::unique_ptr<ContentMetrics> Create(prometheus::Registry& registry,
                                                const content::RuleSet& rules);
  void Hit(size_t entry) const;
  void ScanSeconds(double seconds) const;

 private:
  ContentMetrics() = default;
  std::vector<prometheus::Counter*> hits_;  // by entry index
  prometheus::Histogram* scan_seconds_ = nullptr;
};

}  // namespace portcullis::content_check
