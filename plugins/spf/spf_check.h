// The "spf" check: RFC 7208 SPF for the MAIL FROM identity (the HELO
// identity for a null reverse-path, 2.4) and, optionally, the HELO identity.
//
// Evaluations start at MAIL FROM on the process's resolver and are joined
// in Finish() at end of message, bounded by its deadline. Results map one to
// one onto CheckStatus; symbols SPF_<RESULT> (and SPF_HELO_<RESULT>,
// SPF_NO_CLIENT_ADDRESS) carry the scores; the action per result is the
// operator's (spf_options.h). See README.md.
//
// SpfCheck is immutable and shared by every transaction of a Snapshot; it
// owns the parse cache shared by its instances (thread-safe). Each message
// gets its own SpfInstance (check.h threading rules).
#pragma once

#include <memory>

#include "portcullis/check.h"
#include "portcullis/check_registry.h"
#include "spf_metrics.h"
#include "spf_options.h"
#include "spf_record_cache.h"

namespace portcullis::spf {

class SpfCheck : public Check {
 public:
  SpfCheck(std::shared_ptr<const SpfOptions> options, dns::Resolver* resolver,
           std::shared_ptr<const SpfMetrics> metrics);

  // HELO too: a null sender is checked by its HELO name (RFC 7208 2.4), and
  // check_helo checks it on its own.
  StageMask stages() const override { return kStageHelo | kStageMailFrom; }
  std::unique_ptr<CheckInstance> NewInstance() const override;
  void SelfTest() const override;

 private:
  std::shared_ptr<const SpfOptions> options_;
  dns::Resolver* resolver_;                    // not owned; outlives the check (check_registry.h)
  std::shared_ptr<const SpfMetrics> metrics_;  // may be null
  std::shared_ptr<RecordCache> cache_ = std::make_shared<RecordCache>();
};

// The factory registered as "spf".
std::unique_ptr<Check> MakeSpfCheck(ConfigReader& options, const CheckContext& context);

}  // namespace portcullis::spf
