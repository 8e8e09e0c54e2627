// What answers become: symbols by code and mask, errors, status, reject,
// waiting for late answers and giving up at the deadline; metrics.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "test_support.h"

namespace portcullis::uribl {
namespace {

using portcullis::testing::FakeResolver;
using std::chrono::milliseconds;
using testing::DblList;
using testing::DetailOf;
using testing::DomainUrl;
using testing::MakeCheck;
using testing::Num;
using testing::Options;
using testing::Str;
using testing::SurblList;
using testing::Sym;
using testing::SymbolList;
using testing::Table;
using testing::Transaction;

CheckResult Finish(const Check& check, const std::vector<mime::Url>& urls,
                   Deadline deadline = Deadline::After(milliseconds(2000))) {
  Transaction t;
  auto instance = check.NewInstance();
  instance->OnMailFrom(t.info());
  for (const mime::Url& url : urls) instance->MimeSink()->OnUrl(url);
  return instance->Finish(t.info(), deadline);
}

TEST(UriblResult, AnswerClassification) {
  struct Case {
    std::string name;
    ConfigValue list;
    std::vector<std::string> answer;  // A records; empty: NXDOMAIN
    std::string want_symbols;
    CheckStatus want_status;
  };
  // URIBL multi: .2 black, .4 grey, .8 red as masks; 127.0.0.1 = refused.
  ConfigValue uribl =
      Table({{"zone", Str("multi.uribl.com")},
             {"masks", Table({{"0x02", Sym("URIBL_BLACK", 5)},
                              {"0x04", Sym("URIBL_GREY", 1)},
                              {"0x08", Sym("URIBL_RED", 2)}})},
             {"codes", Table({{"127.0.0.1", Table({{"error", Str("query refused")}})}})}});
  std::vector<Case> cases = {
      {"NXDOMAIN: not listed", DblList(), {}, "", CheckStatus::kPass},
      {"DBL code", DblList(), {"127.0.1.4"}, "URIBL_DBL_PHISH(6)", CheckStatus::kFail},
      {"DBL range", DblList(), {"127.0.1.104"}, "URIBL_DBL_ABUSED(2)", CheckStatus::kFail},
      {"DBL unknown code: default", DblList(), {"127.0.1.99"}, "URIBL_DBL(3)", CheckStatus::kFail},
      {"two codes, two symbols",
       DblList(),
       {"127.0.1.2", "127.0.1.5"},
       "URIBL_DBL_SPAM(5) URIBL_DBL_MALWARE(6)",
       CheckStatus::kFail},
      {"SURBL mask 0x08", SurblList(), {"127.0.0.8"}, "URIBL_SURBL_PH(5)", CheckStatus::kFail},
      {"SURBL combined mask 0x48",
       SurblList(),
       {"127.0.0.72"},
       "URIBL_SURBL_PH(5) URIBL_SURBL_ABUSE(4)",
       CheckStatus::kFail},
      {"SURBL mask no bit matches, no default: nothing",
       SurblList(),
       {"127.0.0.2"},
       "",
       CheckStatus::kPass},
      {"URIBL black", uribl, {"127.0.0.2"}, "URIBL_BLACK(5)", CheckStatus::kFail},
      {"URIBL refused code is an error, not a hit",
       uribl,
       {"127.0.0.1"},
       "URIBL_ERROR(0)",
       CheckStatus::kTemperror},
      {"Spamhaus public resolver code",
       DblList(),
       {"127.255.255.254"},
       "URIBL_ERROR(0)",
       CheckStatus::kTemperror},
      {"over quota", DblList(), {"127.255.255.255"}, "URIBL_ERROR(0)", CheckStatus::kTemperror},
      {"non-127 answer (parked wildcard)",
       DblList(),
       {"10.0.0.1"},
       "URIBL_ERROR(0)",
       CheckStatus::kTemperror},
      {"error code beside a listing: all an error",
       DblList(),
       {"127.0.1.2", "127.255.255.252"},
       "URIBL_ERROR(0)",
       CheckStatus::kTemperror},
  };
  for (Case& c : cases) {
    FakeResolver resolver;
    auto check = MakeCheck(Options({std::move(c.list)}), &resolver);
    ASSERT_TRUE(check) << c.name;
    for (const char* zone : {"dbl.spamhaus.org", "multi.surbl.org", "multi.uribl.com"}) {
      if (!c.answer.empty()) resolver.AddA(std::string("bad.example.") + zone, c.answer);
    }
    CheckResult result = Finish(*check, {DomainUrl("www.bad.example", "bad.example")});
    EXPECT_EQ(SymbolList(result), c.want_symbols) << c.name;
    EXPECT_EQ(result.status, c.want_status) << c.name;
    EXPECT_FALSE(result.request) << c.name;
  }
}

TEST(UriblResult, DetailNamesZoneDomainAndCode) {
  FakeResolver resolver;
  resolver.AddA("a.example.dbl.spamhaus.org", {"127.0.1.2"});
  resolver.AddA("b.example.dbl.spamhaus.org", {"127.0.1.2"});
  resolver.AddA("c.example.dbl.spamhaus.org", {"127.255.255.254"});
  auto check = MakeCheck(Options({DblList()}), &resolver);
  ASSERT_TRUE(check);
  CheckResult result =
      Finish(*check, {DomainUrl("a.example", "a.example"), DomainUrl("b.example", "b.example"),
                      DomainUrl("c.example", "c.example")});
  EXPECT_EQ(SymbolList(result), "URIBL_DBL_SPAM(5) URIBL_ERROR(0)");
  EXPECT_EQ(DetailOf(result, "URIBL_DBL_SPAM"),
            "dbl.spamhaus.org a.example(127.0.1.2), b.example(127.0.1.2)");
  EXPECT_NE(DetailOf(result, "URIBL_ERROR").find("dbl.spamhaus.org: 127.255.255.254"),
            std::string::npos)
      << DetailOf(result, "URIBL_ERROR");
  EXPECT_NE(DetailOf(result, "URIBL_ERROR").find("(c.example)"), std::string::npos);
  // Listed beats the error: fail, not temperror.
  EXPECT_EQ(result.status, CheckStatus::kFail);
}

TEST(UriblResult, RejectAction) {
  struct Case {
    std::string name;
    testing::Fields extra;
    std::string answer;
    bool want_reject;
  };
  std::vector<Case> cases;
  cases.push_back({"score only by default", {}, "127.0.1.2", false});
  cases.push_back({"reject list hit", {{"action", Str("reject")}}, "127.0.1.2", true});
  cases.push_back({"reject list, error answer: no reject",
                   {{"action", Str("reject")}},
                   "127.255.255.254",
                   false});
  for (Case& c : cases) {
    FakeResolver resolver;
    resolver.AddA("phish.example.dbl.spamhaus.org", {c.answer});
    auto check = MakeCheck(Options({DblList(std::move(c.extra))}), &resolver);
    ASSERT_TRUE(check) << c.name;
    CheckResult result = Finish(*check, {DomainUrl("www.phish.example", "phish.example")});
    ASSERT_EQ(result.request.has_value(), c.want_reject) << c.name;
    if (!c.want_reject) continue;
    EXPECT_EQ(result.request->action, Action::kReject);
    EXPECT_EQ(result.request->smtp_code, "550");
    EXPECT_EQ(result.request->enhanced_code, "5.7.1");
    EXPECT_EQ(result.request->text, "Message links to phish.example, listed at dbl.spamhaus.org");
    EXPECT_EQ(result.request->reason, "URIBL_DBL_SPAM");
  }
}

TEST(UriblResult, AsyncAnswersArriveAfterFinishStarts) {
  FakeResolver resolver;
  resolver.set_async(true);
  resolver.AddA("late.example.multi.surbl.org", {"127.0.0.8"});
  resolver.AddA("late.example.dbl.spamhaus.org", {"127.0.1.5"});
  auto check = MakeCheck(Options({SurblList(), DblList()}), &resolver);
  ASSERT_TRUE(check);
  CheckResult result = Finish(*check, {DomainUrl("late.example", "late.example")});
  EXPECT_EQ(SymbolList(result), "URIBL_SURBL_PH(5) URIBL_DBL_MALWARE(6)");
  EXPECT_EQ(result.status, CheckStatus::kFail);
}

TEST(UriblResult, DeadlinePassedIsTemperrorWithoutHanging) {
  struct Case {
    std::string name;
    testing::Fields extra;
    Deadline deadline;
  };
  std::vector<Case> cases;
  // The dead server never answers; the transaction deadline (100 ms) or
  // wait_ms (50 ms, with a far deadline) ends the wait.
  cases.push_back({"transaction deadline", {}, Deadline::After(milliseconds(100))});
  cases.push_back({"deadline already passed", {}, Deadline::After(milliseconds(0))});
  cases.push_back(
      {"wait_ms caps the wait", {{"wait_ms", Num(50)}}, Deadline::After(milliseconds(30000))});
  for (Case& c : cases) {
    FakeResolver resolver;
    resolver.set_async(true);
    resolver.SetUnanswered("slow.example.dbl.spamhaus.org", dns::RecordType::kA);
    auto check = MakeCheck(Options({DblList()}, std::move(c.extra)), &resolver);
    ASSERT_TRUE(check) << c.name;
    CheckResult result = Finish(*check, {DomainUrl("slow.example", "slow.example")}, c.deadline);
    EXPECT_EQ(SymbolList(result), "URIBL_ERROR(0)") << c.name;
    EXPECT_EQ(result.status, CheckStatus::kTemperror) << c.name;
    EXPECT_NE(DetailOf(result, "URIBL_ERROR").find("no answer by end of message (slow.example)"),
              std::string::npos)
        << c.name << ": " << DetailOf(result, "URIBL_ERROR");
  }
}

TEST(UriblResult, DnsFailuresAreErrors) {
  FakeResolver resolver;
  resolver.SetStatus("fail.example.dbl.spamhaus.org", dns::RecordType::kA, dns::Status::kTempError,
                     "SERVFAIL");
  resolver.AddA("fail2.example.dbl.spamhaus.org", {"10.0.0.1"});
  auto check =
      MakeCheck(Options({DblList()}, {{"scores", Table({{"URIBL_ERROR", Num(0.1)}})}}), &resolver);
  ASSERT_TRUE(check);
  CheckResult result = Finish(*check, {DomainUrl("fail.example", "fail.example"),
                                       DomainUrl("fail2.example", "fail2.example")});
  // One URIBL_ERROR per list, counting the rest.
  EXPECT_EQ(SymbolList(result), "URIBL_ERROR(0.1)");
  EXPECT_EQ(DetailOf(result, "URIBL_ERROR"),
            "dbl.spamhaus.org: SERVFAIL (fail.example) and 1 more");
  EXPECT_EQ(result.status, CheckStatus::kTemperror);
}

TEST(UriblResult, NothingAskedIsNone) {
  FakeResolver resolver;
  auto check = MakeCheck(Options({DblList()}), &resolver);
  ASSERT_TRUE(check);
  CheckResult result = Finish(*check, {DomainUrl("www.w3.org", "w3.org")});
  EXPECT_EQ(result.status, CheckStatus::kNone);
  EXPECT_TRUE(result.symbols.empty());
}

TEST(UriblResult, MetricsCountAnswersByListAndResult) {
  prometheus::Registry registry;
  FakeResolver resolver;
  resolver.AddA("a.example.dbl.spamhaus.org", {"127.0.1.2"});
  resolver.AddA("c.example.dbl.spamhaus.org", {"127.255.255.254"});
  auto check = MakeCheck(Options({DblList()}), &resolver, &registry);
  ASSERT_TRUE(check);
  Finish(*check, {DomainUrl("a.example", "a.example"), DomainUrl("b.example", "b.example"),
                  DomainUrl("c.example", "c.example")});
  std::map<std::string, double> got;
  for (const auto& family : registry.Collect()) {
    if (family.name != "portcullis_uribl_lookups_total") continue;
    for (const auto& metric : family.metric) {
      std::string labels;
      for (const auto& label : metric.label) labels += label.name + "=" + label.value + " ";
      got[labels] = metric.counter.value;
    }
  }
  EXPECT_EQ((got["list=dbl.spamhaus.org result=listed "]), 1);
  EXPECT_EQ((got["list=dbl.spamhaus.org result=not_listed "]), 1);
  EXPECT_EQ((got["list=dbl.spamhaus.org result=error "]), 1);
  EXPECT_EQ((got["list=dbl.spamhaus.org result=temperror "]), 0);
}

}  // namespace
}  // namespace portcullis::uribl
