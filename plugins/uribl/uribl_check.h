// The "uribl" check: URI block lists (SURBL, URIBL, Spamhaus DBL style) on
// the domains and IP hosts of the URLs in a message, and optionally the
// domains of e-mail addresses in it.
//
// Lookups start while the body arrives, as the engine's MIME parser reports
// each URL (kStageMime); answers are collected at end of message
// (uribl_result.h says what becomes of them). Not an RFC 8601 method: no
// Authentication-Results.
//
// UriblCheck is immutable and shared by all transactions of a Snapshot;
// each message gets its own UriblInstance (check.h has the threading rules).
#pragma once

#include <memory>

#include "portcullis/check.h"
#include "portcullis/check_registry.h"
#include "uribl_lookups.h"

namespace portcullis::uribl {

class UriblCheck : public Check {
 public:
  explicit UriblCheck(std::shared_ptr<const UriblShared> shared) : shared_(std::move(shared)) {}

  // MIME events, and MAIL FROM for the authenticated-sender test.
  StageMask stages() const override { return kStageMime | kStageMailFrom; }
  std::unique_ptr<CheckInstance> NewInstance() const override;

 private:
  std::shared_ptr<const UriblShared> shared_;
};

// The factory registered as "uribl".
std::unique_ptr<Check> MakeUriblCheck(ConfigReader& options, const CheckContext& context);

}  // namespace portcullis::uribl
