// The "content" check: operator-written content rules (Lua rule files,
// rules/README.md) matched by Hyperscan against a message's headers, decoded
// text, raw body, URLs and attachment names as they stream in.
//
// Results: every rule or meta that matched becomes a Symbol with its score
// and description (names starting "__" are building blocks for metas and are
// not reported). Status fail when anything with a non-zero score or an
// action matched, else pass. A matched rule with `action` asks for that
// hard outcome (the most severe wins: reject, then tempfail, then
// quarantine), with its `reply` as the SMTP text.
//
// ContentCheck holds one compiled RuleSet, built per Snapshot, shared by all
// transactions (NewInstance is thread-safe); a reload with broken rule files
// fails the new Snapshot and the old one keeps running.
#pragma once

#include <memory>

#include "content_metrics.h"
#include "content_options.h"
#include "portcullis/check.h"
#include "portcullis/check_registry.h"
#include "portcullis/content/rule_set.h"

namespace portcullis::content_check {

class ContentCheck : public Check {
 public:
  // `metrics` may be null (offline commands, tests).
  explicit ContentCheck(std::shared_ptr<const content::RuleSet> rules,
                        std::shared_ptr<const ContentMetrics> metrics = nullptr)
      : rules_(std::move(rules)), metrics_(std::move(metrics)) {}
  StageMask stages() const override { return kStageHeader | kStageBody | kStageMime; }
  std::unique_ptr<CheckInstance> NewInstance() const override;
  const content::RuleSet& rules() const { return *rules_; }

 private:
  std::shared_ptr<const content::RuleSet> rules_;
  std::shared_ptr<const ContentMetrics> metrics_;
};

// The factory registered as "content".
std::unique_ptr<Check> MakeContentCheck(ConfigReader& options, const CheckContext& context);

}  // namespace portcullis::content_check
