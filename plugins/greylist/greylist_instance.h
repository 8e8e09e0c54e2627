// Per-message state of the greylist check: decides each recipient at RCPT
// TO (skip rules, allowlists, then the store; greylist_decide.h), keeps the
// message's decisions for Finish(), and bounds the work one message can
// cause (max_recipients lookups; after a store failure no more calls).
//
// Created by GreylistCheck::NewInstance for one message; called by one
// transaction at a time (stages may come from different threads, never
// concurrently), so no locking.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "greylist_check.h"
#include "greylist_decision.h"

namespace portcullis::greylist {

class GreylistInstance : public CheckInstance {
 public:
  explicit GreylistInstance(std::shared_ptr<const GreylistShared> shared)
      : shared_(std::move(shared)) {}

  std::optional<ActionRequest> OnRcpt(const TransactionInfo& info,
                                      std::string_view recipient) override;
  CheckResult Finish(const TransactionInfo& info, Deadline deadline) override;

 private:
  struct Skip {
    Decision decision;
    std::string detail;
  };

  // Rules that hold for the whole message, without waiting: evaluated once.
  const std::optional<Skip>& CheapSkip(const TransactionInfo& info);
  // SPF pass / operator symbols from early results: waited for once.
  const std::optional<Skip>& EvidenceSkip(const TransactionInfo& info);
  std::optional<ActionRequest> Record(Decision decision, std::string_view detail,
                                      Seconds retry_in = Seconds(0));

  std::shared_ptr<const GreylistShared> shared_;
  bool cheap_checked_ = false;
  std::optional<Skip> cheap_skip_;
  bool evidence_checked_ = false;
  std::optional<Skip> evidence_skip_;
  // The client network's allowlisting (manual or auto) seen at an earlier
  // recipient: later recipients need no store call.
  std::optional<Decision> network_allowlisted_;
  bool store_failed_ = false;  // no more store calls in this message
  int64_t lookups_ = 0;        // store lookups made (bounded by max_recipients)
  // The longest wait asked of the client so far (a tempfailed recipient).
  std::optional<Seconds> tempfailed_;
  std::array<int, kDecisionCount> counts_{};
  std::array<std::string, kDecisionCount> details_;  // first detail of each
};

}  // namespace portcullis::greylist
