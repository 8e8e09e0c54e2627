// RFC 7208 4.6.4 processing limits, loops, hostile records, deadlines and
// the re-entrancy of the asynchronous machine.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "spf_test_support.h"

namespace portcullis::spf {
namespace {

using portcullis::testing::FakeResolver;
using testing::Evaluate;
using testing::LoadZone;
using testing::Zone;

// "v=spf1 a:n1.example.org ... a:nN.example.org -all" with every name
// answering an address that does not match.
Zone ATerms(int count) {
  Zone zone;
  std::string record = "v=spf1";
  for (int i = 1; i <= count; ++i) {
    const std::string name = "n" + std::to_string(i) + ".example.org";
    record += " a:" + name;
    zone.push_back({"A", name, "10.0.0.1"});
  }
  zone.push_back({"TXT", "example.com", record + " -all"});
  return zone;
}

// example.com includes i1, i1 includes i2, ... the last one passes.
Zone IncludeChain(int depth) {
  Zone zone;
  std::string from = "example.com";
  for (int i = 1; i <= depth; ++i) {
    const std::string to = "i" + std::to_string(i) + ".example.org";
    zone.push_back({"TXT", from, "v=spf1 include:" + to + " -all"});
    from = to;
  }
  zone.push_back({"TXT", from, "v=spf1 +all"});
  return zone;
}

struct LimitCase {
  const char* name;
  Zone zone;
  const char* ip;
  SpfResult want;
  const char* want_reason;
};

std::vector<LimitCase> LimitCases() {
  Zone ten_a = ATerms(10);
  Zone eleven_a = ATerms(11);
  Zone ten_includes = IncludeChain(10);
  Zone eleven_includes = IncludeChain(11);
  // 10 DNS terms plus ip4/ip6/all which do not count.
  Zone free_terms = ATerms(10);
  free_terms.back().data = free_terms.back().data.substr(0, free_terms.back().data.size() - 5) +
                           " ip4:10.9.9.9 ip6:2001:db8::9 ip4:192.0.2.1 -all";
  Zone mx10 = {{"TXT", "example.com", "v=spf1 mx -all"}};
  Zone mx11 = {{"TXT", "example.com", "v=spf1 mx -all"}};
  for (int i = 1; i <= 11; ++i) {
    const std::string name = "mx" + std::to_string(i) + ".example.com";
    if (i <= 10) mx10.push_back({"MX", "example.com", std::to_string(i) + " " + name});
    mx11.push_back({"MX", "example.com", std::to_string(i) + " " + name});
    mx10.push_back({"A", name, i == 10 ? "192.0.2.1" : "10.0.0.1"});
    mx11.push_back({"A", name, "192.0.2.1"});
  }
  // 12 PTR names; only the 11th (ignored) or the 1st points back.
  auto ptr_zone = [](int validated) {
    Zone zone = {{"TXT", "example.com", "v=spf1 ptr -all"}};
    for (int i = 1; i <= 12; ++i) {
      const std::string name = "h" + std::to_string(i) + ".example.com";
      zone.push_back({"PTR", "1.2.0.192.in-addr.arpa", name});
      zone.push_back({"A", name, i == validated ? "192.0.2.1" : "10.0.0.1"});
    }
    return zone;
  };
  return {
      {"10 DNS terms are allowed", ten_a, "192.0.2.1", SpfResult::kFail, "-all matched"},
      {"the 11th DNS term is a permerror", eleven_a, "192.0.2.1", SpfResult::kPermerror,
       "more than 10 DNS-querying terms"},
      {"ip4, ip6 and all do not count", free_terms, "192.0.2.1", SpfResult::kPass,
       "ip4:192.0.2.1 matched"},
      {"10 nested includes", ten_includes, "192.0.2.1", SpfResult::kPass, ""},
      {"11 nested includes", eleven_includes, "192.0.2.1", SpfResult::kPermerror,
       "more than 10 DNS-querying terms"},
      {"include loop ends at the limit",
       {{"TXT", "example.com", "v=spf1 include:loop.example.org -all"},
        {"TXT", "loop.example.org", "v=spf1 include:example.com -all"}},
       "192.0.2.1",
       SpfResult::kPermerror,
       "more than 10 DNS-querying terms"},
      {"self include ends at the limit",
       {{"TXT", "example.com", "v=spf1 include:example.com -all"}},
       "192.0.2.1",
       SpfResult::kPermerror,
       "more than 10 DNS-querying terms"},
      {"redirect loop ends at the limit",
       {{"TXT", "example.com", "v=spf1 redirect=r.example.org"},
        {"TXT", "r.example.org", "v=spf1 redirect=example.com"}},
       "192.0.2.1",
       SpfResult::kPermerror,
       "more than 10 DNS-querying terms"},
      {"two void lookups are allowed",
       {{"TXT", "example.com", "v=spf1 a:v1.example.org a:v2.example.org -all"}},
       "192.0.2.1",
       SpfResult::kFail,
       "-all matched"},
      {"the third void lookup is a permerror",
       {{"TXT", "example.com",
         "v=spf1 a:v1.example.org mx:v2.example.org exists:v3.example.org -all"}},
       "192.0.2.1",
       SpfResult::kPermerror,
       "more than 2 void DNS lookups"},
      {"NODATA counts as void",
       {{"TXT", "example.com", "v=spf1 a:v1.example.org a:v2.example.org a:v3.example.org -all"},
        {"TXT", "v1.example.org", "x"},
        {"TXT", "v2.example.org", "x"},
        {"TXT", "v3.example.org", "x"}},
       "192.0.2.1",
       SpfResult::kPermerror,
       "more than 2 void DNS lookups"},
      {"a void ptr counts",
       {{"TXT", "example.com", "v=spf1 ptr a:v1.example.org a:v2.example.org -all"}},
       "192.0.2.1",
       SpfResult::kPermerror,
       "more than 2 void DNS lookups"},
      {"10 MX names are fine", mx10, "192.0.2.1", SpfResult::kPass, "mx matched"},
      {"11 MX names are a permerror", mx11, "192.0.2.1", SpfResult::kPermerror,
       "more than 10 MX records"},
      {"PTR names past 10 are ignored", ptr_zone(11), "192.0.2.1", SpfResult::kFail, ""},
      {"the first PTR name validates", ptr_zone(1), "192.0.2.1", SpfResult::kPass, ""},
      {"the 10th PTR name validates", ptr_zone(10), "192.0.2.1", SpfResult::kPass, ""},
      {"%{p} counts as a lookup",
       [] {
         Zone zone = ATerms(9);
         zone.back().data = zone.back().data.substr(0, zone.back().data.size() - 5) +
                            " exists:%{p}.example.org -all";
         return zone;
       }(),
       "192.0.2.1", SpfResult::kPermerror, "more than 10 DNS-querying terms"},
      {"exp does not count",
       [] {
         Zone zone = ATerms(10);
         zone.back().data += " exp=why.example.com";
         zone.push_back({"TXT", "why.example.com", "not you"});
         return zone;
       }(),
       "192.0.2.1", SpfResult::kFail, ""},
  };
}

class SpfLimitsTest : public ::testing::TestWithParam<bool> {};

TEST_P(SpfLimitsTest, Table) {
  for (const LimitCase& c : LimitCases()) {
    FakeResolver resolver;
    LoadZone(resolver, c.zone);
    resolver.set_async(GetParam());
    SpfOutcome got = Evaluate(resolver, c.ip, "u@example.com");
    EXPECT_EQ(ResultName(got.result), ResultName(c.want))
        << c.name << ": got " << ResultName(got.result) << " (" << got.reason << ")";
    EXPECT_NE(got.reason.find(c.want_reason), std::string::npos)
        << c.name << ": reason '" << got.reason << "' lacks '" << c.want_reason << "'";
    EXPECT_LE(got.dns_terms, kMaxDnsTerms) << c.name;
    // Bounded work: the record lookups, at most 10 terms with up to 10
    // address lookups each, and the explanation.
    EXPECT_LE(resolver.lookups(), 1 + kMaxDnsTerms * 12 + 1) << c.name;
  }
}

INSTANTIATE_TEST_SUITE_P(InlineAndAsync, SpfLimitsTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "Async" : "Inline";
                         });

TEST(SpfLimits, ExplanationStillWorksAtTheLimit) {
  FakeResolver resolver;
  Zone zone = ATerms(10);
  zone.back().data += " exp=why.example.com";
  zone.push_back({"TXT", "why.example.com", "not you, %{i}"});
  LoadZone(resolver, zone);
  SpfOutcome got = Evaluate(resolver, "192.0.2.1", "u@example.com");
  EXPECT_EQ(got.result, SpfResult::kFail);
  EXPECT_EQ(got.explanation, "not you, 192.0.2.1");
  EXPECT_EQ(got.dns_terms, 10);
}

TEST(SpfLimits, IncludeLoopIsBoundedInLookups) {
  FakeResolver resolver;
  LoadZone(resolver, {{"TXT", "a.example.org", "v=spf1 include:b.example.org -all"},
                      {"TXT", "b.example.org", "v=spf1 include:a.example.org -all"}});
  SpfOutcome got = Evaluate(resolver, "192.0.2.1", "u@a.example.org");
  EXPECT_EQ(got.result, SpfResult::kPermerror);
  // The top record plus one per counted include.
  EXPECT_EQ(resolver.lookups(), 1 + kMaxDnsTerms);
}

TEST(SpfLimits, TenThousandTermRecord) {
  std::string ip4_record = "v=spf1";
  std::string a_record = "v=spf1";
  for (int i = 0; i < 10000; ++i) {
    ip4_record += " ip4:10." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256) + ".9";
    a_record += " a:h" + std::to_string(i) + ".example.org";
  }
  FakeResolver resolver;
  LoadZone(resolver, {{"TXT", "ip4.example.com", ip4_record + " ip4:192.0.2.1 -all"},
                      {"TXT", "a.example.com", a_record + " -all"}});
  for (int i = 0; i < 10000; ++i)
    resolver.AddA("h" + std::to_string(i) + ".example.org", {"10.0.0.1"});

  const auto start = std::chrono::steady_clock::now();
  SpfOutcome ip4 = Evaluate(resolver, "192.0.2.1", "u@ip4.example.com");
  SpfOutcome a = Evaluate(resolver, "192.0.2.1", "u@a.example.com");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(ip4.result, SpfResult::kPass) << ip4.reason;
  EXPECT_EQ(a.result, SpfResult::kPermerror) << a.reason;
  EXPECT_EQ(resolver.LookupsOf("h10.example.org", dns::RecordType::kA), 0);
  EXPECT_EQ(resolver.LookupsOf("h9.example.org", dns::RecordType::kA), 1);
  // Generous even for a Debug build under sanitizers.
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(SpfLimits, MacroExplosionIsTruncatedAndBounded) {
  // %{i}%{i}... for an IPv6 client: 63 characters each, 300 of them.
  std::string spec;
  std::string naive;
  const std::string nibbles = "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1";
  for (int i = 0; i < 300; ++i) {
    spec += "%{i}";
    naive += nibbles;
  }
  naive += ".bl.example.org";
  // RFC 7208 7.3: drop labels from the left until it fits in 253.
  while (naive.size() > 253) naive.erase(0, naive.find('.') + 1);
  FakeResolver resolver;
  LoadZone(resolver, {{"TXT", "example.com", "v=spf1 exists:" + spec + ".bl.example.org -all"},
                      {"A", naive, "127.0.0.2"}});
  SpfOutcome got = Evaluate(resolver, "2001:db8::1", "u@example.com");
  EXPECT_EQ(got.result, SpfResult::kPass) << got.reason;
  EXPECT_EQ(resolver.LookupsOf(naive, dns::RecordType::kA), 1);
}

TEST(SpfLimits, DeadlineGivesTemperror) {
  struct Case {
    const char* name;
    Zone zone;
  } cases[] = {
      {"top TXT unanswered", {{"HANG", "example.com", "TXT"}}},
      {"include unanswered",
       {{"TXT", "example.com", "v=spf1 include:slow.example.org -all"},
        {"HANG", "slow.example.org", "TXT"}}},
      {"mx address unanswered",
       {{"TXT", "example.com", "v=spf1 mx -all"},
        {"MX", "example.com", "10 mx.example.com"},
        {"HANG", "mx.example.com", "A"}}},
  };
  for (const Case& c : cases) {
    FakeResolver resolver;
    LoadZone(resolver, c.zone);
    const auto start = std::chrono::steady_clock::now();
    SpfOutcome got = Evaluate(resolver, "192.0.2.1", "u@example.com", "mail.example.net",
                              std::chrono::milliseconds(200));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(got.result, SpfResult::kTemperror) << c.name << ": " << got.reason;
    EXPECT_LT(elapsed, std::chrono::seconds(3)) << c.name;
  }
}

TEST(SpfLimits, CancelStopsTheEvaluation) {
  FakeResolver resolver;
  LoadZone(resolver, {{"TXT", "example.com", "v=spf1 include:slow.example.org -all"},
                      {"HANG", "slow.example.org", "TXT"}});
  EvaluationOptions options;
  options.deadline = Deadline::After(std::chrono::milliseconds(300));
  auto evaluation = StartCheckHost(
      resolver,
      MailFromRequest(*IpAddress::Parse("192.0.2.1"), "u@example.com", "mail.example.net"),
      options);
  EXPECT_FALSE(evaluation->result()->ready());
  evaluation->Cancel("test cancelled");
  auto outcome = evaluation->result()->WaitUntil(Deadline::After(std::chrono::seconds(1)));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->result, SpfResult::kTemperror);
  EXPECT_EQ(outcome->reason, "test cancelled");
  // The late timeout answer is dropped; nothing else is looked up.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(resolver.lookups(), 2);
}

TEST(SpfLimits, InlineAnswersCompleteBeforeStartReturns) {
  FakeResolver resolver;
  LoadZone(resolver, IncludeChain(9));
  auto evaluation = StartCheckHost(
      resolver, MailFromRequest(*IpAddress::Parse("192.0.2.1"), "u@example.com", "h.example.net"),
      EvaluationOptions{});
  ASSERT_TRUE(evaluation->result()->ready());
  EXPECT_EQ(evaluation->result()->WaitUntil(Deadline::Never())->result, SpfResult::kPass);
}

TEST(SpfLimits, ConcurrentEvaluationsShareTheCache) {
  FakeResolver resolver;
  LoadZone(resolver, IncludeChain(5));
  resolver.set_async(true);
  auto cache = std::make_shared<RecordCache>();
  std::atomic<int> passes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        EvaluationOptions options;
        options.cache = cache;
        options.deadline = Deadline::After(std::chrono::seconds(5));
        SpfOutcome got = CheckHostAndWait(
            resolver,
            MailFromRequest(*IpAddress::Parse("192.0.2.1"), "u@example.com", "h.example.net"),
            options);
        if (got.result == SpfResult::kPass) ++passes;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(passes.load(), 200);
  EXPECT_EQ(cache->size(), 6u);
  EXPECT_GE(cache->hits(), 200u * 6 - 6 * 4);
}

}  // namespace
}  // namespace portcullis::spf
