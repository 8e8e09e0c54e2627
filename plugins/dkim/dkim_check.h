// The "dkim" check: verifies every DKIM-Signature (RFC 6376, RFC 8301,
// RFC 8463) of a message. Signatures are parsed and their key lookups
// started at end of headers, body hashes are computed while the body
// streams in, and Finish() joins the lookups (bounded by the end-of-message
// deadline) and verifies. Results become DKIM_<RESULT> symbols, one
// Authentication-Results fragment and one AuthMethodResult per signature.
// See README.md.
//
// DkimCheck is immutable and shared by every transaction of a Snapshot;
// each message gets its own DkimInstance (check.h threading rules).
#pragma once

#include <functional>
#include <memory>

#include "dkim_metrics.h"
#include "dkim_options.h"
#include "dkim_verifier.h"
#include "portcullis/check.h"
#include "portcullis/check_registry.h"

namespace portcullis::dkim {

// Wall-clock seconds since the epoch (t= and x=); replaceable in tests.
using Clock = std::function<int64_t()>;
int64_t SystemNow();

class DkimInstance : public CheckInstance {
 public:
  DkimInstance(std::shared_ptr<const DkimOptions> options, dns::Resolver* resolver, Clock clock,
               std::shared_ptr<const DkimMetrics> metrics = nullptr);

  void OnHeader(const TransactionInfo&, std::string_view name, std::string_view value) override;
  void OnEndOfHeaders(const TransactionInfo&) override;
  void OnBody(const TransactionInfo&, std::string_view chunk) override;
  CheckResult Finish(const TransactionInfo&, Deadline deadline) override;

 private:
  std::shared_ptr<const DkimOptions> options_;
  dns::Resolver* resolver_;  // not owned; may be null
  Clock clock_;
  std::shared_ptr<const DkimMetrics> metrics_;  // may be null
  MessageVerifier verifier_;
};

class DkimCheck : public Check {
 public:
  DkimCheck(std::shared_ptr<const DkimOptions> options, dns::Resolver* resolver,
            Clock clock = SystemNow, std::shared_ptr<const DkimMetrics> metrics = nullptr);

  StageMask stages() const override { return kStageHeader | kStageEndOfHeaders | kStageBody; }
  std::unique_ptr<CheckInstance> NewInstance() const override;
  void SelfTest() const override;

 private:
  std::shared_ptr<const DkimOptions> options_;
  dns::Resolver* resolver_;  // not owned; outlives the check (check_registry.h)
  Clock clock_;
  std::shared_ptr<const DkimMetrics> metrics_;  // may be null
};

// The factory registered as "dkim".
std::unique_ptr<Check> MakeDkimCheck(ConfigReader& options, const CheckContext& context);

}  // namespace portcullis::dkim
