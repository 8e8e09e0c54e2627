// Per-message state of the spf check: the evaluations started at MAIL FROM
// and their retrieval at end of message.
//
// Created by SpfCheck::NewInstance for one message. Called by one
// transaction at a time (check.h), so no locking here; the evaluations
// themselves complete on the resolver's thread (spf_evaluator.h). Dropping
// the instance (an aborted transaction) cancels what is still running.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "portcullis/check.h"
#include "spf_evaluator.h"
#include "spf_metrics.h"
#include "spf_options.h"

namespace portcullis::spf {

class SpfInstance : public CheckInstance {
 public:
  SpfInstance(std::shared_ptr<const SpfOptions> options, dns::Resolver* resolver,
              std::shared_ptr<RecordCache> cache, std::shared_ptr<const SpfMetrics> metrics);
  ~SpfInstance() override;

  std::optional<ActionRequest> OnMailFrom(const TransactionInfo& info) override;
  CheckResult Finish(const TransactionInfo& info, Deadline deadline) override;
  // The MAIL FROM (or HELO for <>) result once known: status, symbol and
  // the spf method; no HELO-check symbol and no Received-SPF header.
  std::optional<CheckResult> EarlyResult(const TransactionInfo& info, Deadline deadline) override;

 private:
  void Start(const TransactionInfo& info);
  void AddOutcome(const SpfOutcome& outcome, CheckResult* result) const;
  // The outcome by `deadline`, or temperror when it is still outstanding.
  SpfOutcome Wait(const std::shared_ptr<Evaluation>& evaluation, Deadline deadline) const;

  std::shared_ptr<const SpfOptions> options_;
  dns::Resolver* resolver_;
  std::shared_ptr<RecordCache> cache_;
  std::shared_ptr<const SpfMetrics> metrics_;

  bool started_ = false;
  bool no_client_ = false;
  std::string mail_from_;
  std::string helo_;
  std::shared_ptr<Evaluation> mail_from_check_;  // MAIL FROM (or HELO for <>)
  std::shared_ptr<Evaluation> helo_check_;       // check_helo with a non-null sender
};

}  // namespace portcullis::spf
