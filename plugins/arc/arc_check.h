// The "arc" check: validates the message's ARC chain (RFC 8617 5.2).
// Structure and signed data are prepared and key lookups started at end
// of headers, the newest ARC-Message-Signature's body hash is computed as
// the body streams, and Finish() joins the lookups (bounded by the
// end-of-message deadline). See README.md.
//
// ArcCheck is immutable and shared by every transaction of a Snapshot;
// each message gets its own ArcInstance (check.h threading rules).
#pragma once

#include <memory>

#include "arc_options.h"
#include "arc_verifier.h"
#include "portcullis/check.h"
#include "portcullis/check_registry.h"

namespace portcullis::arc {

class ArcInstance : public CheckInstance {
 public:
  ArcInstance(std::shared_ptr<const ArcOptions> options, dns::Resolver* resolver);

  void OnHeader(const TransactionInfo&, std::string_view name, std::string_view value) override;
  void OnEndOfHeaders(const TransactionInfo&) override;
  void OnBody(const TransactionInfo&, std::string_view chunk) override;
  CheckResult Finish(const TransactionInfo&, Deadline deadline) override;

 private:
  std::shared_ptr<const ArcOptions> options_;
  dns::Resolver* resolver_;  // not owned; may be null
  ChainVerifier verifier_;
};

class ArcCheck : public Check {
 public:
  ArcCheck(std::shared_ptr<const ArcOptions> options, dns::Resolver* resolver);

  StageMask stages() const override { return kStageHeader | kStageEndOfHeaders | kStageBody; }
  std::unique_ptr<CheckInstance> NewInstance() const override;
  void SelfTest() const override;

 private:
  std::shared_ptr<const ArcOptions> options_;
  dns::Resolver* resolver_;  // not owned; outlives the check (check_registry.h)
};

// The factory registered as "arc".
std::unique_ptr<Check> MakeArcCheck(ConfigReader& options, const CheckContext& context);

}  // namespace portcullis::arc
