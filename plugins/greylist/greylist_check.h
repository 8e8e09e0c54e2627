// The "greylist" check: greylisting (RFC 6647) decided per recipient at
// RCPT TO, on the process's state store (store.h), with the skip rules,
// allowlists and auto allowlist operators expect from postgrey.
//
// A tempfail is an ActionRequest from OnRcpt (451 4.7.1, that recipient
// only); Finish() reports the message's decisions as GREYLIST_* symbols.
// The store failing never stalls or refuses mail: the recipient is accepted
// with GREYLIST_STORE_ERROR. Offline (`portcullis scan`, `check-config`)
// nothing is greylisted and nothing is recorded.
//
// GreylistCheck is immutable and shared by all transactions of a Snapshot;
// each message gets its own GreylistInstance (check.h has the threading
// rules). The Store outlives the check (check_registry.h).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "greylist_config.h"
#include "greylist_metrics.h"
#include "portcullis/check.h"
#include "portcullis/check_registry.h"
#include "portcullis/store.h"

namespace portcullis::greylist {

using WallClock = std::function<store::Clock::time_point()>;

// What every instance of one check shares.
struct GreylistShared {
  std::shared_ptr<const GreylistConfig> config;
  store::Store* store = nullptr;  // null in offline commands
  bool offline = false;
  std::unique_ptr<GreylistMetrics> metrics;  // null without a registry
  WallClock now;                             // the wall clock (tests inject one)
};

class GreylistCheck : public Check {
 public:
  explicit GreylistCheck(std::shared_ptr<const GreylistShared> shared)
      : shared_(std::move(shared)) {}

  StageMask stages() const override { return kStageRcpt; }
  std::unique_ptr<CheckInstance> NewInstance() const override;
  // "spf" and/or "dnsbl" when a skip rule reads their early results.
  std::vector<std::string> after() const override;
  // Warns when the daemon runs without a store (greylisting then never
  // happens) and when early_wait_ms is long.
  void SelfTest() const override;

 private:
  std::shared_ptr<const GreylistShared> shared_;
};

// The factory registered as "greylist" (the system clock).
std::unique_ptr<Check> MakeGreylistCheck(ConfigReader& options, const CheckContext& context);
// The same with an injected wall clock, for tests.
std::unique_ptr<Check> MakeGreylistCheckWithClock(ConfigReader& options,
                                                  const CheckContext& context, WallClock now);

}  // namespace portcullis::greylist
