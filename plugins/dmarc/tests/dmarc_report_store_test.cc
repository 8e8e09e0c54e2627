// Aggregate-report data: the JSON line format (stable, round trip, hostile
// values), UTC days, the record built from a transaction, the day files
// (modes, size bound, concurrent appends never interleave).
#include "dmarc_report_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace portcullis::dmarc {
namespace {

std::string MakeTempDir() {
  char pattern[] = "/tmp/dmarc-store-test-XXXXXX";
  const char* dir = ::mkdtemp(pattern);
  EXPECT_TRUE(dir);
  return dir ? dir : "";
}

ReportRecord SampleRecord() {
  ReportRecord record;
  record.date = "2026-11-23";
  record.source_ip = "192.0.2.1";
  record.header_from = "example.com";
  record.envelope_from = "example.com";
  record.policy = {"example.com", "r", "s", "reject", "quarantine", 50};
  record.disposition = "reject";
  record.dkim_aligned = "fail";
  record.spf_aligned = "fail";
  record.dkim = {{"example.com", "s1", "fail"}, {"list.example.net", "k", "pass"}};
  record.spf = {"example.com", "mfrom", "softfail"};
  return record;
}

TEST(DmarcReportJson, LineFormatIsStable) {
  // Golden: a change here breaks files already on disk and jq scripts.
  EXPECT_EQ(RecordToJsonLine(SampleRecord()),
            "{\"v\":1,\"date\":\"2026-11-23\",\"source_ip\":\"192.0.2.1\","
            "\"header_from\":\"example.com\",\"envelope_from\":\"example.com\","
            "\"policy_published\":{\"domain\":\"example.com\",\"adkim\":\"r\",\"aspf\":\"s\","
            "\"p\":\"reject\",\"sp\":\"quarantine\",\"pct\":50},\"disposition\":\"reject\","
            "\"dkim_aligned\":\"fail\",\"spf_aligned\":\"fail\",\"dkim\":[{\"domain\":"
            "\"example.com\",\"selector\":\"s1\",\"result\":\"fail\"},{\"domain\":"
            "\"list.example.net\",\"selector\":\"k\",\"result\":\"pass\"}],\"spf\":{\"domain\":"
            "\"example.com\",\"scope\":\"mfrom\",\"result\":\"softfail\"}}\n");
}

TEST(DmarcReportJson, RoundTripsHostileValues) {
  const std::vector<std::string> values = {
      "plain.example", "quote\"back\\slash",        "new\nline\r\ttab", std::string("nul\0x", 5),
      "<evil>&amp;'",  "\xc3\xa9t\xc3\xa9.example", "\x7f\x01\x1f"};
  for (const std::string& value : values) {
    ReportRecord record = SampleRecord();
    record.header_from = value;
    record.dkim[0].selector = value;
    const std::string line = RecordToJsonLine(record);
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "a raw newline splits the record";
    auto back = RecordFromJsonLine(line);
    ASSERT_TRUE(back) << line;
    EXPECT_EQ(back->header_from, value) << "got " << back->header_from;
    EXPECT_TRUE(*back == record);
  }
}

TEST(DmarcReportJson, RejectsMalformedLines) {
  const std::string good = RecordToJsonLine(SampleRecord());
  const std::vector<std::string> bad = {
      "",
      good.substr(0, good.size() / 2),  // torn by a crash
      "[1,2]",
      "{\"v\":2" + good.substr(6),  // an unknown version
      good.substr(0, good.size() - 1) + "x",
      "{\"v\":1}",
  };
  for (const std::string& line : bad) EXPECT_FALSE(RecordFromJsonLine(line)) << line;
  EXPECT_TRUE(RecordFromJsonLine(good.substr(0, good.size() - 1)));  // no "\n"
}

TEST(DmarcReportStore, UtcDays) {
  struct Case {
    std::string day;
    int64_t want;
  };
  const std::vector<Case> cases = {
      {"1970-01-01", 0},   {"2026-11-23", 1795392000}, {"2024-02-29", 1709164800},
      {"2026-02-29", -1},  {"2026-13-01", -1},         {"2026-1-01", -1},
      {"2026-11-23x", -1}, {"abcd-ef-gh", -1},         {"", -1},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(UtcDayBegin(c.day), c.want) << c.day;
    if (c.want >= 0) {
      EXPECT_EQ(UtcDay(c.want + 86399), c.day);
    }
  }
}

TEST(DmarcReportStore, MakeReportRecordFromTransaction) {
  ConnectionInfo connection;
  connection.client_addr_text = "198.51.100.7";
  connection.helo = "mx.example.org";
  MessageInfo message;
  message.mail_from = "bounce@Mail.Example.COM";
  std::unordered_map<std::string, std::string> macros;
  std::vector<CheckResult> finished(2);
  finished[0].methods.push_back({"spf", "pass", {{"smtp.mailfrom", "bounce@Mail.Example.COM"}}});
  finished[1].methods.push_back(
      {"dkim", "pass", {{"header.d", "Example.com"}, {"header.s", "sel"}}});
  finished[1].methods.push_back({"dkim", "fail", {{"header.d", "other.net"}, {"header.s", "x"}}});
  TransactionInfo info{connection, message, macros, &finished};
  Discovery discovery;
  discovery.status = DiscoveryStatus::kFound;
  discovery.record_domain = "example.com";
  discovery.record.policy = Policy::kReject;
  discovery.record.percent = 100;
  discovery.record.spf_alignment = Alignment::kStrict;
  Verdict verdict;
  verdict.result = DmarcResult::kPass;
  verdict.author_domain = "example.com";
  verdict.dkim_aligned = true;
  const ReportRecord got = MakeReportRecord(info, discovery, verdict, true, 1795392000 + 5);
  EXPECT_EQ(got.date, "2026-11-23");
  EXPECT_EQ(got.source_ip, "198.51.100.7");
  EXPECT_EQ(got.envelope_from, "mail.example.com");
  EXPECT_EQ(got.policy.sp, "reject") << "no sp: the p value";
  EXPECT_EQ(got.policy.aspf, "s");
  EXPECT_EQ(got.disposition, "none");
  EXPECT_EQ(got.dkim_aligned, "pass");
  EXPECT_EQ(got.spf_aligned, "fail");
  ASSERT_EQ(got.dkim.size(), 2u);
  EXPECT_EQ(got.dkim[0].domain, "example.com");
  EXPECT_EQ(got.dkim[0].selector, "sel");
  EXPECT_EQ(got.dkim[1].result, "fail");
  EXPECT_EQ(got.spf.scope, "mfrom");
  EXPECT_EQ(got.spf.domain, "mail.example.com");

  // Null sender: SPF of the HELO name; a failing reject with
  // honour_policy=false records "none" (nothing was applied).
  message.mail_from = "";
  finished[0].methods[0] = {"spf", "pass", {{"smtp.helo", "MX.example.org"}}};
  verdict.result = DmarcResult::kFail;
  verdict.applied = Policy::kReject;
  EXPECT_EQ(MakeReportRecord(info, discovery, verdict, false, 0).disposition, "none");
  const ReportRecord helo = MakeReportRecord(info, discovery, verdict, true, 0);
  EXPECT_EQ(helo.disposition, "reject");
  EXPECT_EQ(helo.spf.scope, "helo");
  EXPECT_EQ(helo.spf.domain, "mx.example.org");
}

TEST(DmarcReportStore, AppendsWithModesAndReadsBack) {
  const std::string dir = MakeTempDir();
  ReportStore store(dir, 1 << 20);
  ReportRecord record = SampleRecord();
  ASSERT_TRUE(store.Append(record));
  record.source_ip = "192.0.2.2";
  ASSERT_TRUE(store.Append(record));
  EXPECT_EQ(store.recorded(), 2u);
  struct stat st {};
  ASSERT_EQ(::stat(ReportDirectory(dir).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777 & ~0750, 0u) << "directory mode " << std::oct << (st.st_mode & 0777);
  ASSERT_EQ(::stat(ReportFile(dir, "2026-11-23").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777 & ~0640, 0u) << "file mode " << std::oct << (st.st_mode & 0777);
  DayRecords day = ReadDayRecords(dir, "2026-11-23");
  EXPECT_EQ(day.error, "");
  ASSERT_EQ(day.records.size(), 2u);
  EXPECT_EQ(day.records[1].source_ip, "192.0.2.2");
  // A torn line (crash mid-write) is skipped, the rest still read.
  { std::ofstream(ReportFile(dir, "2026-11-23"), std::ios::app) << "{\"v\":1,\"da"; }
  day = ReadDayRecords(dir, "2026-11-23");
  EXPECT_EQ(day.records.size(), 2u);
  EXPECT_EQ(day.malformed_lines, 1u);
  EXPECT_TRUE(ReadDayRecords(dir, "2026-11-24").records.empty());
  EXPECT_NE(ReadDayRecords(dir + "/missing", "2026-11-23").error, "");
  std::filesystem::remove_all(dir);
}

TEST(DmarcReportStore, SizeBoundStopsRecording) {
  const std::string dir = MakeTempDir();
  const size_t line = RecordToJsonLine(SampleRecord()).size();
  ReportStore store(dir, line * 3 + line / 2);  // room for three lines
  for (int i = 0; i < 5; ++i) store.Append(SampleRecord());
  EXPECT_EQ(store.recorded(), 3u);
  EXPECT_EQ(store.over_limit(), 2u);
  EXPECT_EQ(store.errors(), 0u);
  EXPECT_EQ(std::filesystem::file_size(ReportFile(dir, "2026-11-23")), line * 3);
  // Another day has its own budget.
  ReportRecord next = SampleRecord();
  next.date = "2026-11-24";
  EXPECT_TRUE(store.Append(next));
  std::filesystem::remove_all(dir);
}

TEST(DmarcReportStore, UnwritableDirectoryIsCountedNotFatal) {
  ReportStore store("/proc/definitely/not/here", 1 << 20);
  EXPECT_FALSE(store.Append(SampleRecord()));
  EXPECT_FALSE(store.Append(SampleRecord()));
  EXPECT_EQ(store.errors(), 2u);
  EXPECT_EQ(store.recorded(), 0u);
}

TEST(DmarcReportStore, ConcurrentAppendsNeverInterleave) {
  const std::string dir = MakeTempDir();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  // Two stores on one directory stand for two processes (O_APPEND) as well
  // as threads of one (the mutex).
  ReportStore first(dir, 1 << 24);
  ReportStore second(dir, 1 << 24);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ReportRecord record = SampleRecord();
      record.source_ip = "10.0.0." + std::to_string(t);
      // Long values so that lines are well past one page.
      record.header_from = std::string(3000, static_cast<char>('a' + t)) + ".example";
      for (int i = 0; i < kPerThread; ++i) (t % 2 ? first : second).Append(record);
    });
  }
  for (std::thread& thread : threads) thread.join();
  const DayRecords day = ReadDayRecords(dir, "2026-11-23");
  EXPECT_EQ(day.malformed_lines, 0u);
  ASSERT_EQ(day.records.size(), static_cast<size_t>(kThreads * kPerThread));
  for (const ReportRecord& record : day.records) {
    const char want = static_cast<char>('a' + (record.source_ip.back() - '0'));
    EXPECT_EQ(record.header_from.find_first_not_of(want), 3000u) << record.source_ip;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace portcullis::dmarc
