// The "dnsbl" check: DNS block and allow lists (RFC 5782) for the client
// address (ip lists) and for the HELO name, envelope sender domain and From
// header domain (domain lists, "RHSBL").
//
// Lookups start at the stage that has their input and run in parallel; a
// reject list refuses recipients at RCPT TO after a bounded wait; everything
// else is collected at end of message (dnsbl_result.h says what becomes of
// it). Not an RFC 8601 method: no Authentication-Results.
//
// DnsblCheck is immutable and shared by all transactions of a Snapshot;
// each message gets its own DnsblInstance (check.h has the threading rules).
#pragma once

#include <memory>

#include "dnsbl_lookups.h"
#include "portcullis/check.h"
#include "portcullis/check_registry.h"

namespace portcullis::dnsbl {

class DnsblCheck : public Check {
 public:
  explicit DnsblCheck(std::shared_ptr<const DnsblShared> shared) : shared_(std::move(shared)) {}

  // Only the stages some configured list needs.
  StageMask stages() const override;
  std::unique_ptr<CheckInstance> NewInstance() const override;
  // RFC 5782 section 5 test entries of every list with self_test = true.
  void SelfTest() const override;

 private:
  std::shared_ptr<const DnsblShared> shared_;
};

// The factory registered as "dnsbl".
std::unique_ptr<Check> MakeDnsblCheck(ConfigReader& options, const CheckContext& context);

}  // namespace portcullis::dnsbl
