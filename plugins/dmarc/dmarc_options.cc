#include "dmarc_options.h"

namespace portcullis::dmarc {
namespace {

// Below 100 ms nothing would answer; past two minutes the MTA has given up.
constexpr int64_t kMinTimeoutMs = 100;
constexpr int64_t kMaxTimeoutMs = 120000;
// A day file smaller than 64 KiB holds a few hundred rows: useless; 64 GiB
// is past any sane disk budget for report data.
constexpr int64_t kMinReportBytes = int64_t{64} << 10;
constexpr int64_t kMaxReportBytes = int64_t{64} << 30;
// Scores are bounded like every other check's.
constexpr double kMaxScore = 100;

std::string ResolvePath(const std::string& config_dir, const std::string& path) {
  if (path.empty() || path.front() == '/' || config_dir.empty()) return path;
  return config_dir.back() == '/' ? config_dir + path : config_dir + "/" + path;
}

}  // namespace

std::map<std::string, double> DefaultDmarcScores() {
  // A fail alone is a hint (mailing lists break DKIM); the Domain Owner's
  // enforced policy says more; a pass is mild good news.
  return {
      {"DMARC_PASS", -1},         {"DMARC_FAIL", 2},
      {"DMARC_NONE", 0},          {"DMARC_TEMPERROR", 0},
      {"DMARC_PERMERROR", 0},     {"DMARC_BAD_FROM", 3},
      {"DMARC_POLICY_REJECT", 5}, {"DMARC_POLICY_QUARANTINE", 3},
  };
}

std::shared_ptr<const DmarcOptions> ReadDmarcOptions(ConfigReader& reader,
                                                     const std::string& config_dir) {
  auto options = std::make_shared<DmarcOptions>();
  bool ok = true;
  options->psl_file = reader.String("psl_file", options->psl_file);
  const std::string sections = reader.String("psl_sections", "all");
  if (sections != "all" && sections != "icann") {
    reader.Error("psl_sections", "'" + sections + "' is not one of: all, icann");
    ok = false;
  }
  options->psl_sections = sections == "icann" ? PslSections::kIcannOnly : PslSections::kAll;
  options->honour_policy = reader.Boolean("honour_policy", options->honour_policy);
  options->timeout = std::chrono::milliseconds(
      reader.Integer("timeout_ms", options->timeout.count(), kMinTimeoutMs, kMaxTimeoutMs));

  options->aggregate_reports = reader.Boolean("aggregate_reports", options->aggregate_reports);
  options->report_max_bytes_per_day = static_cast<uint64_t>(reader.Integer(
      "report_max_bytes_per_day", static_cast<int64_t>(options->report_max_bytes_per_day),
      kMinReportBytes, kMaxReportBytes));

  options->scores = DefaultDmarcScores();
  for (const auto& [name, score] : reader.NumberMap("scores")) {
    if (!options->scores.count(name)) {
      std::string known;
      for (const auto& [symbol, unused] : options->scores)
        known += (known.empty() ? "" : ", ") + symbol;
      reader.Error("scores", "unknown symbol '" + name + "' (known: " + known + ")");
      ok = false;
      continue;
    }
    if (score < -kMaxScore || score > kMaxScore) {
      reader.Error("scores", name + ": score out of range -100..100");
      ok = false;
      continue;
    }
    options->scores[name] = score;
  }

  std::string error;
  options->psl = PublicSuffixList::Load(ResolvePath(config_dir, options->psl_file),
                                        options->psl_sections, &error);
  if (!options->psl) {
    reader.Error("psl_file", error);
    ok = false;
  }
  if (!ok) return nullptr;
  return options;
}

}  // namespace portcullis::dmarc
