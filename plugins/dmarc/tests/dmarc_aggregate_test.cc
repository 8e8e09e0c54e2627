// `portcullis dmarc-report` and the Appendix C XML: records written through
// the store come back aggregated, filtered by policy domain and escaped;
// the output equals a golden file and parses back structurally; exit codes.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "dmarc_aggregate_xml.h"
#include "dmarc_check.h"
#include "dmarc_report_command.h"
#include "dmarc_report_store.h"
#include "fake_resolver.h"
#include "portcullis/check_registry.h"
#include "portcullis/command_registry.h"

namespace portcullis::dmarc {
namespace {

struct Output {
  int code = -1;
  std::string out;
  std::string err;
};

std::string ReadAll(FILE* file) {
  std::rewind(file);
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  std::fclose(file);
  return text;
}

Output RunCommand(const std::vector<std::string>& args) {
  FILE* out = std::tmpfile();
  FILE* err = std::tmpfile();
  Output result;
  result.code = RunDmarcReportCommand(args, "mx.test", out, err);
  result.out = ReadAll(out);
  result.err = ReadAll(err);
  return result;
}

ReportRecord Row(const std::string& ip, const std::string& policy_domain) {
  ReportRecord record;
  record.date = "2026-11-23";
  record.source_ip = ip;
  record.header_from = policy_domain;
  record.envelope_from = policy_domain;
  record.policy = {policy_domain, "r", "r", "reject", "reject", 100};
  record.disposition = "none";
  record.dkim_aligned = "pass";
  record.spf_aligned = "pass";
  record.dkim = {{policy_domain, "s1", "pass"}};
  record.spf = {policy_domain, "mfrom", "pass"};
  return record;
}

std::string Golden(const std::string& name) {
  std::ifstream file(std::string(PORTCULLIS_DMARC_TEST_DATA) + "/" + name);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// A tiny structural check: every tag closes in order; returns the element
// path of each leaf with its text ("feedback/record/row/count=2").
bool ParseXml(const std::string& xml, std::vector<std::string>* leaves) {
  std::vector<std::string> stack;
  size_t pos = xml.find("?>");
  if (xml.rfind("<?xml ", 0) != 0 || pos == std::string::npos) return false;
  pos += 2;
  std::string text;
  while ((pos = xml.find('<', pos)) != std::string::npos) {
    const size_t end = xml.find('>', pos);
    if (end == std::string::npos) return false;
    const std::string tag = xml.substr(pos + 1, end - pos - 1);
    if (tag.find_first_of("<&\"'") != std::string::npos) return false;
    if (tag[0] == '/') {
      if (stack.empty() || stack.back() != tag.substr(1)) return false;
      if (!text.empty() || xml[pos - 1] != '\n') {
        std::string path;
        for (const std::string& name : stack) path += (path.empty() ? "" : "/") + name;
        leaves->push_back(path + "=" + text);
      }
      stack.pop_back();
    } else {
      stack.push_back(tag);
    }
    const size_t next = xml.find('<', end);
    text = xml.substr(end + 1, next == std::string::npos ? 0 : next - end - 1);
    if (text.find_first_of(">\"'") != std::string::npos) return false;
    if (text.find_first_not_of(" \n") == std::string::npos) text.clear();
    pos = end;
  }
  return stack.empty();
}

class DmarcReportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/dmarc-report-test-XXXXXX";
    ASSERT_TRUE(::mkdtemp(pattern));
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(DmarcReportCommandTest, RoundTripAggregatesFiltersAndEscapes) {
  ReportStore store(dir_, 1 << 20);
  // Three identical rows from one address, one from another, a failing one,
  // a hostile header.from, and another Domain Owner's row.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store.Append(Row("192.0.2.1", "example.com")));
  ASSERT_TRUE(store.Append(Row("192.0.2.2", "example.com")));
  ReportRecord failing = Row("192.0.2.1", "example.com");
  failing.disposition = "reject";
  failing.dkim_aligned = "fail";
  failing.spf_aligned = "fail";
  failing.dkim[0].result = "fail";
  ASSERT_TRUE(store.Append(failing));
  ReportRecord hostile = Row("203.0.113.9", "example.com");
  hostile.header_from = "a<b>&\"c'.example.com</header_from><x>";
  ASSERT_TRUE(store.Append(hostile));
  ASSERT_TRUE(store.Append(Row("192.0.2.1", "other.org")));

  const Output got = RunCommand({"--day", "2026-11-23", "--domain", "Example.com", "--state-dir",
                                 dir_, "--org-name", "Test & Co", "--email", "dmarc@mx.test"});
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(got.err, "");
  EXPECT_EQ(got.out, Golden("aggregate_report.xml"));
  EXPECT_EQ(got.out.find("other.org"), std::string::npos);

  std::vector<std::string> leaves;
  ASSERT_TRUE(ParseXml(got.out, &leaves)) << got.out;
  size_t records = 0;
  std::vector<std::string> counts;
  for (const std::string& leaf : leaves) {
    if (leaf.rfind("feedback/record/row/count=", 0) == 0) counts.push_back(leaf.substr(26));
    if (leaf.rfind("feedback/record/row/source_ip=", 0) == 0) ++records;
  }
  EXPECT_EQ(records, 4u);
  EXPECT_EQ(counts, (std::vector<std::string>{"3", "1", "1", "1"}));
  EXPECT_NE(std::find(leaves.begin(), leaves.end(),
                      "feedback/report_metadata/report_id=example.com-2026-11-23"),
            leaves.end());
  EXPECT_NE(std::find(leaves.begin(), leaves.end(),
                      "feedback/report_metadata/date_range/begin=1795392000"),
            leaves.end());
  EXPECT_NE(
      std::find(leaves.begin(), leaves.end(), "feedback/report_metadata/date_range/end=1795478399"),
      leaves.end());
}

TEST_F(DmarcReportCommandTest, NoDataIsAnEmptyReport) {
  const Output got =
      RunCommand({"--day", "2026-11-23", "--domain", "example.com", "--state-dir", dir_});
  EXPECT_EQ(got.code, 0) << got.err;
  std::vector<std::string> leaves;
  ASSERT_TRUE(ParseXml(got.out, &leaves)) << got.out;
  EXPECT_EQ(got.out.find("<record>"), std::string::npos);
  EXPECT_NE(got.out.find("<org_name>mx.test</org_name>"), std::string::npos);
  EXPECT_NE(got.out.find("<email>postmaster@mx.test</email>"), std::string::npos);
}

TEST_F(DmarcReportCommandTest, ConfigGivesStateDir) {
  ReportStore store(dir_, 1 << 20);
  ASSERT_TRUE(store.Append(Row("192.0.2.1", "example.com")));
  const std::string config = dir_ + "/portcullis.lua";
  // Computed in Lua: the real config loader evaluates it.
  std::ofstream(config) << "-- test\nlisten = \"inet:1234@127.0.0.1\"\nlocal base = \"" << dir_
                        << "\"\nstate_dir = base .. \"\"\n";
  const Output got = RunCommand({"--day", "2026-11-23", "--domain", "example.com", "-c", config});
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_NE(got.out.find("<source_ip>192.0.2.1</source_ip>"), std::string::npos) << got.out;
}

TEST_F(DmarcReportCommandTest, ExitCodes) {
  struct Case {
    std::vector<std::string> args;
    int want;
  };
  const std::vector<Case> cases = {
      {{}, 2},
      {{"--day", "2026-11-23"}, 2},
      {{"--domain", "example.com"}, 2},
      {{"--day", "2026-02-30", "--domain", "example.com", "--state-dir", dir_}, 2},
      {{"--day", "2026-11-23", "--domain", "example.com", "--bogus", "x"}, 2},
      {{"--day", "2026-11-23", "--domain"}, 2},
      {{"--day", "2026-11-23", "--domain", "e.com", "--state-dir", dir_, "-c", "x"}, 2},
      {{"--day", "2026-11-23", "--domain", "e.com", "--state-dir", dir_ + "/none"}, 1},
      {{"--day", "2026-11-23", "--domain", "e.com", "-c", dir_ + "/none.lua"}, 1},
      {{"--day", "2026-11-23", "--domain", "e.com", "--state-dir", dir_}, 0},
  };
  for (const Case& c : cases) {
    const Output got = RunCommand(c.args);
    std::string joined;
    for (const std::string& arg : c.args) joined += arg + " ";
    EXPECT_EQ(got.code, c.want) << joined << "\n" << got.err;
    if (c.want != 0) {
      EXPECT_NE(got.err, "") << joined;
    }
  }
}

ConfigValue Value(ConfigValue::Type type) {
  ConfigValue value;
  value.type = type;
  return value;
}

// The registered dmarc check, recording into `state_dir` when it may.
std::unique_ptr<Check> MakeRecordingCheck(const std::string& state_dir, bool aggregate_reports,
                                          bool offline, dns::Resolver* resolver) {
  ConfigValue tree = Value(ConfigValue::Type::kTable);
  tree.fields["psl_file"] = Value(ConfigValue::Type::kString);
  tree.fields["psl_file"].string = PORTCULLIS_DMARC_TEST_DATA "/psl_small.dat";
  tree.fields["aggregate_reports"] = Value(ConfigValue::Type::kBoolean);
  tree.fields["aggregate_reports"].boolean = aggregate_reports;
  ConfigErrors errors;
  ConfigReader reader(&tree, "checks.dmarc", "portcullis.lua", &errors);
  CheckContext context;
  context.resolver = resolver;
  context.state_dir = state_dir;
  context.offline = offline;
  const CheckFactory* factory = FindCheckFactory("dmarc");
  EXPECT_TRUE(factory);
  if (!factory) return nullptr;
  auto check = (*factory)(reader, context);
  for (const std::string& error : errors.all()) ADD_FAILURE() << error;
  return check;
}

// Runs one message through the registered dmarc check with `state_dir`.
void RunThroughCheck(const std::string& state_dir, bool aggregate_reports, const std::string& from,
                     const std::string& client,
                     bool offline = false) {
  portcullis::testing::FakeResolver resolver;
  resolver.AddTxt("_dmarc.example.com", {"v=DMARC1; p=reject; aspf=s"});
  auto check = MakeRecordingCheck(state_dir, aggregate_reports, offline, &resolver);
  ASSERT_TRUE(check);
  ConnectionInfo connection;
  connection.client_addr_text = client;
  MessageInfo message;
  message.mail_from = "bounce@example.com";
  std::unordered_map<std::string, std::string> macros;
  std::vector<CheckResult> finished(2);
  finished[0].methods.push_back({"spf", "pass", {{"smtp.mailfrom", "bounce@example.com"}}});
  finished[1].methods.push_back({"dkim", "pass", {{"header.d", "example.com"}, {"header.s", "s"}}});
  TransactionInfo info{connection, message, macros};
  auto instance = check->NewInstance();
  instance->OnHeader(info, "From", " a@" + from);
  instance->OnEndOfHeaders(info);
  TransactionInfo end{connection, message, macros, &finished};
  instance->Finish(end, Deadline::After(std::chrono::seconds(5)));
}

TEST_F(DmarcReportCommandTest, CheckRecordsMessagesEvaluatedAgainstARecord) {
  RunThroughCheck(dir_, true, "example.com", "192.0.2.10");
  RunThroughCheck(dir_, true, "no-record.example", "192.0.2.11");  // dmarc=none
  RunThroughCheck(dir_, false, "example.com", "192.0.2.12");       // option off
  RunThroughCheck("", true, "example.com", "192.0.2.13");          // no state_dir
  RunThroughCheck(dir_, true, "example.com", "192.0.2.14", true);  // offline (scan)
  const std::string today = UtcDay(std::time(nullptr));
  DayRecords day = ReadDayRecords(dir_, today);
  if (day.records.empty()) day = ReadDayRecords(dir_, UtcDay(std::time(nullptr) - 60));  // midnight
  ASSERT_EQ(day.records.size(), 1u);
  const ReportRecord& got = day.records[0];
  EXPECT_EQ(got.source_ip, "192.0.2.10");
  EXPECT_EQ(got.header_from, "example.com");
  EXPECT_EQ(got.policy.domain, "example.com");
  EXPECT_EQ(got.policy.aspf, "s");
  EXPECT_EQ(got.policy.p, "reject");
  EXPECT_EQ(got.disposition, "none");
  EXPECT_EQ(got.spf_aligned, "pass");
  EXPECT_EQ(got.dkim_aligned, "pass");
  ASSERT_EQ(got.dkim.size(), 1u);
  EXPECT_EQ(got.dkim[0].selector, "s");
}

// A record for a bounce names the HELO domain when SPF did not run
// (dmarc_report_store.cc); without HELO in the negotiated stages the MTA
// never sends it and that domain would be empty.
TEST_F(DmarcReportCommandTest, RecordingCheckAsksForHelo) {
  portcullis::testing::FakeResolver resolver;
  auto recording = MakeRecordingCheck(dir_, true, false, &resolver);
  ASSERT_TRUE(recording);
  EXPECT_TRUE(recording->stages() & kStageHelo);
  auto not_recording = MakeRecordingCheck(dir_, false, false, &resolver);
  ASSERT_TRUE(not_recording);
  EXPECT_FALSE(not_recording->stages() & kStageHelo);
}

TEST(DmarcReportOptions, SizeBoundIsChecked) {
  struct Case {
    double bytes;
    bool want_ok;
  };
  const std::vector<Case> cases = {{1024, false}, {65536, true}, {1e12, false}};
  for (const Case& c : cases) {
    ConfigValue tree = Value(ConfigValue::Type::kTable);
    tree.fields["psl_file"] = Value(ConfigValue::Type::kString);
    tree.fields["psl_file"].string = PORTCULLIS_DMARC_TEST_DATA "/psl_small.dat";
    tree.fields["report_max_bytes_per_day"] = Value(ConfigValue::Type::kNumber);
    tree.fields["report_max_bytes_per_day"].number = c.bytes;
    ConfigErrors errors;
    std::shared_ptr<const DmarcOptions> options;
    {
      ConfigReader reader(&tree, "checks.dmarc", "portcullis.lua", &errors);
      options = ReadDmarcOptions(reader, "");
    }
    EXPECT_EQ(errors.empty(), c.want_ok) << c.bytes;
    if (c.want_ok) {
      ASSERT_TRUE(options);
      EXPECT_EQ(options->report_max_bytes_per_day, static_cast<uint64_t>(c.bytes));
    }
  }
}

TEST(DmarcReportCommand, IsRegisteredWithADash) { EXPECT_TRUE(FindCommand("dmarc-report")); }

TEST_F(DmarcReportCommandTest, BadConfigNamesFileAndLine) {
  const std::string config = dir_ + "/bad.lua";
  std::ofstream(config) << "state_dir = \"/x\"\nstate_dir = = 1\n";
  const Output got = RunCommand({"--day", "2026-11-23", "--domain", "e.com", "-c", config});
  EXPECT_EQ(got.code, 1);
  EXPECT_NE(got.err.find(config + ":2:"), std::string::npos) << got.err;
}

TEST(DmarcAggregateXml, Escape) {
  struct Case {
    std::string in;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"plain", "plain"},
      {"<a&b>", "&lt;a&amp;b&gt;"},
      {"\"'", "&quot;&apos;"},
      {std::string("x\0\x01y\tz", 6), "xy\tz"},
  };
  for (const Case& c : cases) EXPECT_EQ(XmlEscape(c.in), c.want) << c.in;
}

}  // namespace
}  // namespace portcullis::dmarc
