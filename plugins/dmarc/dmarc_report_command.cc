// Registers `portcullis dmarc-report`. The name has a dash, so
// RegisterCommand is called directly rather than through
// PORTCULLIS_REGISTER_COMMAND (which needs an identifier).
#include "dmarc_report_command.h"

#include "portcullis/command_args.h"
#include "portcullis/engine_settings.h"

#include <unistd.h>

#include <climits>

#include "dmarc_aggregate_xml.h"
#include "dmarc_report_store.h"
#include "portcullis/command_registry.h"

namespace portcullis::dmarc {
namespace {

// The engine's default (engine_config.h) when neither --state-dir nor -c.
constexpr const char* kDefaultStateDir = "/var/lib/portcullis";
constexpr int64_t kSecondsPerDay = 86400;

constexpr const char* kUsage =
    "usage: portcullis dmarc-report --day YYYY-MM-DD --domain DOMAIN\n"
    "         [--state-dir DIR | -c CONFIG] [--org-name NAME] [--email ADDRESS]\n"
    "         [--report-id ID]\n"
    "Prints the RFC 7489 aggregate report (XML) of that UTC day for DOMAIN, the\n"
    "domain the DMARC record was found at, from <state_dir>/dmarc/DAY.jsonl.\n";

int Usage(FILE* err, const std::string& problem) {
  if (!problem.empty()) std::fprintf(err, "dmarc-report: %s\n", problem.c_str());
  std::fputs(kUsage, err);
  return 2;
}

std::string SystemHostName() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || !name[0]) return "localhost";
  return name;
}

int Run(const std::vector<std::string>& args) {
  return RunDmarcReportCommand(args, SystemHostName(), stdout, stderr);
}

const bool registered_dmarc_report = ::portcullis::RegisterCommand(
    "dmarc-report",
    ::portcullis::Command{"print a DMARC aggregate report (RFC 7489 7.2) for one day and domain",
                          Run});

}  // namespace

int RunDmarcReportCommand(const std::vector<std::string>& args, const std::string& host_name,
                          FILE* out, FILE* err) {
  std::string error;
  auto parsed = ParseCommandArgs(args,
                                 {"--day", "--domain", "--state-dir", "-c", "--config",
                                  "--org-name", "--email", "--report-id"},
                                 {}, 0, &error);
  if (!parsed) return Usage(err, error);
  if (parsed->help) {
    std::fputs(kUsage, out);
    return 0;
  }
  for (const auto& [option, value] : parsed->values) {
    if (value.empty()) return Usage(err, option + " needs a value");
  }
  const std::string day = parsed->Value("--day");
  const std::string domain = parsed->Value("--domain");
  std::string state_dir = parsed->Value("--state-dir");
  const std::string config = parsed->Value("-c", parsed->Value("--config"));
  std::string org_name = parsed->Value("--org-name");
  std::string email = parsed->Value("--email");
  std::string report_id = parsed->Value("--report-id");
  if (day.empty() || domain.empty()) return Usage(err, "--day and --domain are required");
  const int64_t begin = UtcDayBegin(day);
  if (begin < 0) return Usage(err, "--day '" + day + "' is not a date YYYY-MM-DD");
  if (!state_dir.empty() && !config.empty()) {
    return Usage(err, "give --state-dir or -c, not both");
  }
  if (!config.empty()) {
    EngineSettings settings;
    if (!LoadEngineSettings(config, &settings, &error)) {
      std::fprintf(err, "dmarc-report: %s\n", error.c_str());
      return 1;
    }
    state_dir = settings.state_dir;
  }
  if (state_dir.empty()) state_dir = kDefaultStateDir;

  DayRecords day_records = ReadDayRecords(state_dir, day);
  if (!day_records.error.empty()) {
    std::fprintf(err, "dmarc-report: %s\n", day_records.error.c_str());
    return 1;
  }
  if (day_records.malformed_lines) {
    std::fprintf(err, "dmarc-report: skipped %zu malformed line(s) in %s\n",
                 day_records.malformed_lines, ReportFile(state_dir, day).c_str());
  }
  ReportMetadata metadata;
  metadata.org_name = org_name.empty() ? host_name : org_name;
  metadata.email = email.empty() ? "postmaster@" + host_name : email;
  metadata.report_id = report_id.empty() ? ToLower(domain) + "-" + day : report_id;
  metadata.begin = begin;
  metadata.end = begin + kSecondsPerDay - 1;  // the day's last second, inclusive
  const std::string xml = BuildAggregateXml(metadata, domain, day_records.records);
  std::fwrite(xml.data(), 1, xml.size(), out);
  return 0;
}

}  // namespace portcullis::dmarc
