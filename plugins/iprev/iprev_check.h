// The "iprev" check: RFC 8601 section 3 forward-confirmed reverse DNS of the
// client address, reported as an Authentication-Results method
// ("iprev=pass policy.iprev=192.0.2.1 (mail.example.org)") and as one
// IPREV_* symbol.
//
// The evaluation starts at connect (iprev_evaluation.h) and is collected at
// end of message, bounded by the transaction's deadline; what has not
// finished by then is a temperror. No client address (unix socket): no
// result, no symbol and no A-R entry (RFC 8601 2.7.3 has no "none").
//
// IprevCheck is immutable and shared by all transactions of a Snapshot;
// each message gets its own instance (check.h has the threading rules).
#pragma once

#include <memory>
#include <string>

#include "iprev_evaluation.h"
#include "iprev_options.h"
#include "portcullis/check.h"
#include "portcullis/check_registry.h"

namespace portcullis::iprev {

class IprevCheck : public Check {
 public:
  IprevCheck(IprevOptions options, dns::Resolver* resolver)
      : options_(std::move(options)), resolver_(resolver) {}

  StageMask stages() const override { return kStageConnect; }
  std::unique_ptr<CheckInstance> NewInstance() const override;

 private:
  IprevOptions options_;
  dns::Resolver* resolver_;  // null in offline commands without DNS
};

// The RFC 8601 resinfo for an outcome: "iprev=<result> policy.iprev=<addr>
// (<comment>)". An IPv6 address is a quoted-string, since ':' may not
// appear in an RFC 2045 token (RFC 8601 2.2 pvalue).
std::string IprevAuthResult(const IprevOutcome& outcome, const IpAddress& client);

// The CheckResult for an outcome. Pure.
CheckResult BuildIprevResult(const IprevOutcome& outcome, const IpAddress& client,
                             const IprevOptions& options);

// The factory registered as "iprev".
std::unique_ptr<Check> MakeIprevCheck(ConfigReader& options, const CheckContext& context);

}  // namespace portcullis::iprev
