// Per-message state of the uribl check: a MIME sink that starts each URL's
// queries the moment the parser reports it (during the body), and Finish(),
// which collects the answers no later than the deadline.
//
// Created by UriblCheck::NewInstance for one message. Stages, sink calls and
// Finish come from one transaction at a time (possibly different threads,
// never concurrently), so no locking; answers arrive through LookupSet's
// AsyncResults, never by touching this object from the resolver's thread.
#pragma once

#include <memory>
#include <optional>

#include "portcullis/check.h"
#include "portcullis/mime.h"
#include "uribl_lookups.h"

namespace portcullis::uribl {

class UriblInstance : public CheckInstance {
 public:
  explicit UriblInstance(std::shared_ptr<const UriblShared> shared)
      : shared_(shared), lookups_(std::move(shared)), sink_(this) {}

  // Remembers whether the sender is authenticated (the sink is not told).
  std::optional<ActionRequest> OnMailFrom(const TransactionInfo& info) override;
  mime::Sink* MimeSink() override { return &sink_; }
  CheckResult Finish(const TransactionInfo& info, Deadline deadline) override;

  const LookupSet& lookups() const { return lookups_; }

 private:
  class Sink : public mime::Sink {
   public:
    explicit Sink(UriblInstance* owner) : owner_(owner) {}
    // Obfuscated URLs (hxxp://, [.]) are asked like any other: hiding them
    // is what the spammer wanted.
    void OnUrl(const mime::Url& url) override;
    void OnEmailAddress(const mime::EmailAddress& address) override;

   private:
    UriblInstance* owner_;
  };

  bool Skipped(const TransactionInfo& info) const;

  std::shared_ptr<const UriblShared> shared_;
  LookupSet lookups_;
  Sink sink_;
  bool authenticated_ = false;  // from MAIL FROM: no lookups at all
};

}  // namespace portcullis::uribl
