// Per-message state of the dnsbl check: starts each list's queries at the
// earliest stage that has their input, rejects listed clients at RCPT TO
// after a bounded wait, and collects everything at end of message.
//
// Created by DnsblCheck::NewInstance for one message; called by one
// transaction at a time (stages may come from different threads, never
// concurrently), so no locking. Answers arrive through LookupSet's
// AsyncResults; nothing here is touched by the resolver's thread.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "dnsbl_lookups.h"
#include "portcullis/check.h"

namespace portcullis::dnsbl {

class DnsblInstance : public CheckInstance {
 public:
  explicit DnsblInstance(std::shared_ptr<const DnsblShared> shared)
      : shared_(shared), lookups_(std::move(shared)) {}

  std::optional<ActionRequest> OnConnect(const TransactionInfo& info) override;
  std::optional<ActionRequest> OnHelo(const TransactionInfo& info) override;
  std::optional<ActionRequest> OnMailFrom(const TransactionInfo& info) override;
  std::optional<ActionRequest> OnRcpt(const TransactionInfo& info,
                                      std::string_view recipient) override;
  void OnEndOfHeaders(const TransactionInfo& info) override;
  CheckResult Finish(const TransactionInfo& info, Deadline deadline) override;
  // What the client, HELO and sender lists have answered by `deadline`
  // (lists still outstanding are left out; From lists are not known yet).
  std::optional<CheckResult> EarlyResult(const TransactionInfo& info, Deadline deadline) override;

 private:
  bool Skipped(const TransactionInfo& info) const;

  std::shared_ptr<const DnsblShared> shared_;
  LookupSet lookups_;
  bool connected_ = false;  // OnConnect seen (it is replayed once per message)
  // Set at the first RCPT TO: all recipients of the message share one
  // rcpt_wait budget, so a hundred RCPTs cannot each wait it out.
  std::optional<Deadline> rcpt_deadline_;
};

}  // namespace portcullis::dnsbl
