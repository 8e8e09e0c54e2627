#include "bare_lf_check.h"

#include <array>
#include <utility>

#include "postconf_probe.h"
#include "raw_message_scan.h"

namespace portcullis::bare_lf {
namespace {

class BareLfInstance : public CheckInstance {
 public:
  explicit BareLfInstance(const BareLfOptions& options) : options_(options) {}

  void OnHeader(const TransactionInfo&, std::string_view name, std::string_view value) override {
    scanner_.OnHeader(name, value);
  }
  void OnBody(const TransactionInfo&, std::string_view chunk) override { scanner_.OnBody(chunk); }
  // Offline scans: the file as stored, before the line-end repair an MTA
  // would make, shows bare LFs the normalised stream no longer has.
  void OnRawMessage(const TransactionInfo&, std::string_view raw) override {
    raw_ = ScanRawMessage(raw).findings;
  }
  CheckResult Finish(const TransactionInfo&, Deadline) override {
    scanner_.EndBody();
    ScanFindings findings = scanner_.findings();
    if (raw_) findings = MergeFindings(findings, *raw_);
    return BuildBareLfResult(findings, options_);
  }

 private:
  // Per kind, the scan that saw more of it (their offsets differ in origin,
  // so mixing a count from one with an offset from the other would mislead).
  static ScanFindings MergeFindings(const ScanFindings& live, const ScanFindings& raw) {
    ScanFindings merged = live;
    for (FindingKind kind : kAllFindingKinds) {
      if (raw[kind].count > live[kind].count) {
        merged.kinds[static_cast<size_t>(kind)] = raw[kind];
        if (kind == FindingKind::kSmuggling) merged.first_smuggling = raw.first_smuggling;
      }
    }
    return merged;
  }

  const BareLfOptions& options_;  // owned by the Check, which outlives instances
  LineEndScanner scanner_;        // the MTA hands a milter CRLF line ends
  std::optional<ScanFindings> raw_;
};

int Severity(ClassAction action) {
  switch (action) {
    case ClassAction::kScore: return 0;
    case ClassAction::kQuarantine: return 1;
    case ClassAction::kTempfail: return 2;
    case ClassAction::kReject: return 3;
  }
  return 0;
}

std::string Detail(const ScanFindings& findings, FindingKind kind) {
  const FindingCount& found = findings[kind];
  std::string detail = std::to_string(found.count) + "x, first at " +
                       (IsHeaderFinding(kind) ? "header" : "body") + " offset " +
                       std::to_string(found.first_offset);
  if (kind == FindingKind::kSmuggling) {
    detail += ", " + std::string(SmugglingPatternName(findings.first_smuggling));
  }
  return detail;
}

}  // namespace

std::unique_ptr<CheckInstance> BareLfCheck::NewInstance() const {
  return std::make_unique<BareLfInstance>(options_);
}

void BareLfCheck::SelfTest() const { WarnAboutPostfixBareNewline(); }

CheckResult BuildBareLfResult(const ScanFindings& findings, const BareLfOptions& options) {
  CheckResult result;
  result.status = findings.any() ? CheckStatus::kFail : CheckStatus::kPass;

  // The first symbol of each class becomes that class's reason.
  std::array<std::string_view, kFindingClassCount> reasons{};
  for (FindingKind kind : kAllFindingKinds) {
    if (findings[kind].count == 0) continue;
    result.symbols.push_back(
        {std::string(FindingSymbol(kind)), options.score(kind), Detail(findings, kind)});
    std::string_view& reason = reasons[static_cast<size_t>(ClassOf(kind))];
    if (reason.empty()) reason = FindingSymbol(kind);
  }

  const ClassPolicy* chosen = nullptr;
  std::string_view chosen_reason;
  for (FindingClass c : {FindingClass::kSmuggling, FindingClass::kHeader, FindingClass::kBody}) {
    std::string_view reason = reasons[static_cast<size_t>(c)];
    const ClassPolicy& policy = options.policy(c);
    if (reason.empty() || policy.action == ClassAction::kScore) continue;
    if (!chosen || Severity(policy.action) > Severity(chosen->action)) {
      chosen = &policy;
      chosen_reason = reason;
    }
  }
  if (chosen) result.request = MakeActionRequest(*chosen, chosen_reason);
  return result;
}

std::unique_ptr<Check> MakeBareLfCheck(ConfigReader& options, const CheckContext&) {
  std::optional<BareLfOptions> parsed = ReadBareLfOptions(options);
  if (!parsed) return nullptr;
  return std::make_unique<BareLfCheck>(std::move(*parsed));
}

}  // namespace portcullis::bare_lf
