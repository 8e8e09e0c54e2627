// The bare_lf check: runs a LineEndScanner over every header and body chunk
// the MTA passes on and turns its findings into symbols, a pass/fail status
// and, when the operator chose so, a reject/tempfail/quarantine request at
// end of message. Not an RFC 8601 method: no Authentication-Results.
//
// BareLfCheck is built once per config Snapshot and is immutable, so
// NewInstance may be called from any thread. Each BareLfInstance belongs to
// one message and is called by one thread at a time, as check.h promises.
#pragma once

#include <memory>
#include <string_view>

#include "bare_lf_options.h"
#include "line_end_scanner.h"
#include "portcullis/check.h"
#include "portcullis/check_registry.h"

namespace portcullis::bare_lf {

inline constexpr std::string_view kName = "bare_lf";

class BareLfCheck : public Check {
 public:
  explicit BareLfCheck(BareLfOptions options) : options_(std::move(options)) {}

  StageMask stages() const override { return kStageHeader | kStageBody; }
  std::unique_ptr<CheckInstance> NewInstance() const override;
  // Warns when the local Postfix still accepts bare newlines (postconf_probe.h).
  void SelfTest() const override;

  const BareLfOptions& options() const { return options_; }

 private:
  BareLfOptions options_;
};

// Symbols, status and the strongest request (reject > tempfail > quarantine;
// on a tie smuggling, then header, then body) for a finished scan. Pure.
CheckResult BuildBareLfResult(const ScanFindings& findings, const BareLfOptions& options);

// The factory registered under kName.
std::unique_ptr<Check> MakeBareLfCheck(ConfigReader& options, const CheckContext& context);

}  // namespace portcullis::bare_lf
