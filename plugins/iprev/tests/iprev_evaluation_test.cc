#include "iprev_evaluation.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "fake_resolver.h"

namespace portcullis::iprev {
namespace {

using portcullis::testing::FakeResolver;
using std::chrono::milliseconds;

constexpr char kV4Ptr[] = "99.2.0.192.in-addr.arpa";  // client 192.0.2.99
// client 2001:db8::99
constexpr char kV6Ptr[] =
    "9.9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";

IprevOutcome Evaluate(FakeResolver& resolver, const std::string& client,
                      milliseconds wait = milliseconds(2000)) {
  auto result =
      StartIprev(resolver, *IpAddress::Parse(client), Deadline::After(milliseconds(5000)));
  std::optional<IprevOutcome> outcome = result->WaitUntil(Deadline::After(wait));
  if (!outcome) return IprevOutcome{IprevResult::kTempError, "", "test: no outcome", 0};
  return *outcome;
}

TEST(IprevEvaluation, PtrQueryNames) {
  EXPECT_EQ(PtrQueryName(*IpAddress::Parse("192.0.2.99")), kV4Ptr);
  EXPECT_EQ(PtrQueryName(*IpAddress::Parse("2001:db8::99")), kV6Ptr);
}

TEST(IprevEvaluation, UsableHostNamesTable) {
  struct Case {
    std::string name;
    bool want;
  } cases[] = {
      {"mail.example.org", true},
      {"localhost", true},
      {"host_1.example.org", true},
      {"", false},
      {"a..b", false},
      {".example.org", false},
      {"mail.example.org.", false},  // the resolver strips the dot; a second one is odd
      {"bad name.example.org", false},
      {"x(y).example.org", false},
      {"x;y.example.org", false},
      {std::string(64, 'a') + ".example.org", false},
      {std::string(63, 'a') + ".example.org", true},
  };
  for (const Case& c : cases) EXPECT_EQ(IsUsableHostName(c.name), c.want) << c.name;
}

TEST(IprevEvaluation, ResultsTable) {
  using S = dns::Status;
  struct Case {
    const char* name;
    std::string client;
    std::function<void(FakeResolver&)> setup;
    IprevResult want;
    std::string want_name;
    std::string want_reason;
  } cases[] = {
      {"pass", "192.0.2.99",
       [](FakeResolver& r) {
         r.AddPtr(kV4Ptr, {"mail.example.org"});
         r.AddA("mail.example.org", {"192.0.2.1", "192.0.2.99"});
       },
       IprevResult::kPass, "mail.example.org", "forward match"},
      {"pass on the second name", "192.0.2.99",
       [](FakeResolver& r) {
         r.AddPtr(kV4Ptr, {"a.example.org", "b.example.org"});
         r.AddA("a.example.org", {"192.0.2.1"});
         r.AddA("b.example.org", {"192.0.2.99"});
       },
       IprevResult::kPass, "b.example.org", "forward match"},
      {"mismatch", "192.0.2.99",
       [](FakeResolver& r) {
         r.AddPtr(kV4Ptr, {"mail.example.org"});
         r.AddA("mail.example.org", {"192.0.2.1"});
       },
       IprevResult::kFail, "mail.example.org", "no forward match"},
      {"forward NXDOMAIN is fail (RFC 8601 2.7.3)", "192.0.2.99",
       [](FakeResolver& r) { r.AddPtr(kV4Ptr, {"gone.example.org"}); }, IprevResult::kFail,
       "gone.example.org", "no forward match"},
      {"forward NODATA is fail", "192.0.2.99",
       [](FakeResolver& r) {
         r.AddPtr(kV4Ptr, {"v6only.example.org"});
         r.AddAaaa("v6only.example.org", {"2001:db8::99"});
       },
       IprevResult::kFail, "v6only.example.org", "no forward match"},
      {"no PTR: NXDOMAIN", "192.0.2.99", [](FakeResolver&) {}, IprevResult::kNoPtr, "", "nxdomain"},
      {"no PTR: NODATA", "192.0.2.99", [](FakeResolver& r) { r.AddTxt(kV4Ptr, {"not a ptr"}); },
       IprevResult::kNoPtr, "", "nodata"},
      {"PTR SERVFAIL", "192.0.2.99",
       [](FakeResolver& r) {
         r.SetStatus(kV4Ptr, dns::RecordType::kPtr, S::kTempError, "SERVFAIL");
       },
       IprevResult::kTempError, "", "SERVFAIL"},
      {"forward SERVFAIL", "192.0.2.99",
       [](FakeResolver& r) {
         r.AddPtr(kV4Ptr, {"a.example.org", "b.example.org"});
         r.AddA("a.example.org", {"192.0.2.1"});
         r.SetStatus("b.example.org", dns::RecordType::kA, S::kTempError, "SERVFAIL");
       },
       IprevResult::kTempError, "a.example.org", "SERVFAIL"},
      {"forward SERVFAIL does not hide a pass", "192.0.2.99",
       [](FakeResolver& r) {
         r.AddPtr(kV4Ptr, {"a.example.org", "b.example.org"});
         r.SetStatus("a.example.org", dns::RecordType::kA, S::kTempError, "SERVFAIL");
         r.AddA("b.example.org", {"192.0.2.99"});
       },
       IprevResult::kPass, "b.example.org", "forward match"},
      {"only unusable PTR names", "192.0.2.99",
       [](FakeResolver& r) {
         r.AddPtr(kV4Ptr, {"bad name", "x(y)"});
       },
       IprevResult::kPermError, "", "no usable PTR name"},
      {"IPv6 pass", "2001:db8::99",
       [](FakeResolver& r) {
         r.AddPtr(kV6Ptr, {"mail6.example.org"});
         r.AddAaaa("mail6.example.org", {"2001:db8::99"});
         r.AddA("mail6.example.org", {"192.0.2.99"});
       },
       IprevResult::kPass, "mail6.example.org", "forward match"},
      {"IPv6 mismatch (an A record does not count)", "2001:db8::99",
       [](FakeResolver& r) {
         r.AddPtr(kV6Ptr, {"mail6.example.org"});
         r.AddAaaa("mail6.example.org", {"2001:db8::1"});
       },
       IprevResult::kFail, "mail6.example.org", "no forward match"},
  };
  for (bool async : {false, true}) {
    for (const Case& c : cases) {
      FakeResolver resolver;
      resolver.set_async(async);
      c.setup(resolver);
      IprevOutcome got = Evaluate(resolver, c.client);
      const std::string label = std::string(c.name) + (async ? " (async)" : " (inline)");
      EXPECT_EQ(IprevResultName(got.result), IprevResultName(c.want)) << label;
      EXPECT_EQ(got.result, c.want) << label;
      EXPECT_EQ(got.name, c.want_name) << label;
      EXPECT_EQ(got.reason, c.want_reason) << label;
    }
  }
}

TEST(IprevEvaluation, IPv6AsksAaaaInIp6Arpa) {
  FakeResolver resolver;
  resolver.AddPtr(kV6Ptr, {"mail6.example.org"});
  resolver.AddAaaa("mail6.example.org", {"2001:db8::99"});
  Evaluate(resolver, "2001:db8::99");
  EXPECT_EQ(resolver.LookupsOf(kV6Ptr, dns::RecordType::kPtr), 1);
  EXPECT_EQ(resolver.LookupsOf("mail6.example.org", dns::RecordType::kAaaa), 1);
  EXPECT_EQ(resolver.LookupsOf("mail6.example.org", dns::RecordType::kA), 0);
}

TEST(IprevEvaluation, AtMostTenPtrNamesAreFollowed) {
  FakeResolver resolver;
  std::vector<std::string> names;
  for (int i = 1; i <= 12; ++i) names.push_back("n" + std::to_string(i) + ".example.org");
  resolver.AddPtr(kV4Ptr, names);
  for (int i = 1; i <= 10; ++i) resolver.AddA(names[i - 1], {"192.0.2.1"});
  resolver.AddA(names[10], {"192.0.2.99"});  // the 11th would match
  IprevOutcome got = Evaluate(resolver, "192.0.2.99");
  EXPECT_EQ(got.result, IprevResult::kFail);
  EXPECT_EQ(got.ptr_names, 12u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(resolver.LookupsOf(names[i], dns::RecordType::kA), 1) << names[i];
  }
  EXPECT_EQ(resolver.LookupsOf(names[10], dns::RecordType::kA), 0);
  EXPECT_EQ(resolver.LookupsOf(names[11], dns::RecordType::kA), 0);
  EXPECT_EQ(resolver.lookups(), 11);  // one PTR + kMaxPtrNames forward lookups
}

TEST(IprevEvaluation, UnansweredPtrLeavesTheResultOpen) {
  FakeResolver resolver;
  resolver.set_async(true);
  resolver.SetUnanswered(kV4Ptr, dns::RecordType::kPtr);
  auto result =
      StartIprev(resolver, *IpAddress::Parse("192.0.2.99"), Deadline::After(milliseconds(5000)));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(result->WaitUntil(Deadline::After(milliseconds(100))));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1000));
}

TEST(IprevEvaluation, ResolverTimeoutOnForwardIsTemperror) {
  FakeResolver resolver;
  resolver.set_async(true);
  resolver.AddPtr(kV4Ptr, {"slow.example.org"});
  resolver.SetUnanswered("slow.example.org", dns::RecordType::kA);
  auto result =
      StartIprev(resolver, *IpAddress::Parse("192.0.2.99"), Deadline::After(milliseconds(150)));
  std::optional<IprevOutcome> got = result->WaitUntil(Deadline::After(milliseconds(3000)));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->result, IprevResult::kTempError);
  EXPECT_EQ(got->reason, "timeout");
  EXPECT_EQ(got->name, "slow.example.org");
}

}  // namespace
}  // namespace portcullis::iprev
