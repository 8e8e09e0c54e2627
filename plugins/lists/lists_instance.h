// Per-message state of the lists check: which keys hit which list so far,
// and the decisions at RCPT TO and at end of message.
//
// Created by ListsCheck::NewInstance for one message; holds a shared_ptr to
// the Snapshot's ListsConfig. Called by one transaction at a time (stages may
// come from different threads, never concurrently), so no locking.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/from_header.h"
#include "lists_config.h"
#include "portcullis/check.h"

namespace portcullis::lists {

// From is a single-instance field (RFC 5322 3.6); a second one already makes
// the author ambiguous, so we parse only a few for block matching.
inline constexpr int kMaxFromHeaders = 4;

class ListsInstance : public CheckInstance {
 public:
  explicit ListsInstance(std::shared_ptr<const ListsConfig> config) : config_(std::move(config)) {}

  std::optional<ActionRequest> OnConnect(const TransactionInfo& info) override;
  std::optional<ActionRequest> OnHelo(const TransactionInfo& info) override;
  std::optional<ActionRequest> OnMailFrom(const TransactionInfo& info) override;
  std::optional<ActionRequest> OnRcpt(const TransactionInfo& info,
                                      std::string_view recipient) override;
  void OnHeader(const TransactionInfo& info, std::string_view name,
                std::string_view value) override;
  CheckResult Finish(const TransactionInfo& info, Deadline deadline) override;

 private:
  struct Hits {
    bool allow = false;
    bool block = false;
    std::string detail;  // what was looked up, for the symbol; only on a hit
    bool hit() const { return allow || block; }
  };

  bool EnvelopeAllowed() const { return client_.allow || helo_.allow || sender_.allow; }
  // The reply for a block hit on `key`, with the symbol as reason.
  ActionRequest BlockRequest(ListKey key) const;

  std::shared_ptr<const ListsConfig> config_;
  Hits client_;
  Hits helo_;
  Hits sender_;
  int recipients_allowed_ = 0;
  int recipients_blocked_ = 0;
  int recipients_rejected_ = 0;  // of the blocked ones, rejected at RCPT TO
  int from_headers_ = 0;
  FromDomains from_;
};

}  // namespace portcullis::lists
