// The "dmarc" check: RFC 7489 DMARC for the RFC5322.From domain, built on
// the results of the spf and dkim checks (Check::after()).
//
// The From header fields are collected at the header stage; at end of
// headers the Author Domain is known and the _dmarc lookups start on the
// process's resolver (dmarc_discovery.h); Finish() reads the SPF and DKIM
// results from TransactionInfo::finished, joins the lookups within its
// deadline and evaluates (dmarc_evaluate.h). See README.md.
//
// DmarcCheck is immutable and shared by every transaction of a Snapshot;
// each message gets its own DmarcInstance, used by one transaction at a
// time (check.h threading rules).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dmarc_discovery.h"
#include "dmarc_options.h"
#include "dmarc_report_store.h"
#include "portcullis/check.h"
#include "portcullis/check_registry.h"

namespace portcullis::dmarc {

// A uniform draw in [0, 100) for pct sampling (6.6.4); tests inject a fixed
// one. Must be callable from any thread.
using DrawFunction = std::function<double()>;
// A thread-local Mersenne Twister seeded from std::random_device.
double RandomDraw();

class DmarcCheck : public Check {
 public:
  // `store` may be null: no aggregate-report data is recorded.
  DmarcCheck(std::shared_ptr<const DmarcOptions> options, dns::Resolver* resolver,
             DrawFunction draw = RandomDraw, std::shared_ptr<ReportStore> store = nullptr);

  StageMask stages() const override;
  std::unique_ptr<CheckInstance> NewInstance() const override;
  std::vector<std::string> after() const override { return {"spf", "dkim"}; }
  void SelfTest() const override;

 private:
  std::shared_ptr<const DmarcOptions> options_;
  dns::Resolver* resolver_;  // not owned; outlives the check (check_registry.h)
  DrawFunction draw_;
  std::shared_ptr<ReportStore> store_;  // shared with the instances; thread-safe
};

class DmarcInstance : public CheckInstance {
 public:
  DmarcInstance(std::shared_ptr<const DmarcOptions> options, dns::Resolver* resolver,
                DrawFunction draw, std::shared_ptr<ReportStore> store = nullptr);

  void OnHeader(const TransactionInfo& info, std::string_view name,
                std::string_view value) override;
  void OnEndOfHeaders(const TransactionInfo& info) override;
  CheckResult Finish(const TransactionInfo& info, Deadline deadline) override;

 private:
  std::shared_ptr<const DmarcOptions> options_;
  dns::Resolver* resolver_;
  DrawFunction draw_;
  std::shared_ptr<ReportStore> store_;

  bool headers_done_ = false;
  size_t from_count_ = 0;
  std::vector<std::string> from_values_;  // the first kMaxFromValues
  std::optional<std::string> author_domain_;
  std::string from_problem_;
  AsyncResultPtr<Discovery> discovery_;
};

// The factory registered as "dmarc".
std::unique_ptr<Check> MakeDmarcCheck(ConfigReader& options, const CheckContext& context);

}  // namespace portcullis::dmarc
