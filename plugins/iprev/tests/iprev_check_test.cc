#include "iprev_check.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

#include "fake_resolver.h"
#include "portcullis/check_registry.h"

namespace portcullis::iprev {
namespace {

using portcullis::testing::FakeResolver;
using std::chrono::milliseconds;

constexpr char kV4Ptr[] = "99.2.0.192.in-addr.arpa";
constexpr char kV6Ptr[] =
    "9.9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";

ConfigValue Num(double number, int line = 0) {
  ConfigValue value;
  value.type = ConfigValue::Type::kNumber;
  value.number = number;
  value.line = line;
  return value;
}

ConfigValue Table(std::vector<std::pair<std::string, ConfigValue>> fields, int line = 0) {
  ConfigValue value;
  value.type = ConfigValue::Type::kTable;
  value.line = line;
  for (auto& [key, field] : fields) value.fields[key] = std::move(field);
  return value;
}

std::unique_ptr<Check> MakeCheck(const ConfigValue& tree, dns::Resolver* resolver) {
  ConfigErrors errors;
  CheckContext context;
  context.resolver = resolver;
  std::unique_ptr<Check> check;
  {
    ConfigReader reader(&tree, "checks.iprev", "portcullis.lua", &errors);
    check = MakeIprevCheck(reader, context);
  }
  for (const std::string& error : errors.all()) ADD_FAILURE() << error;
  return check;
}

CheckResult RunMessage(const Check& check, const std::string& client,
                       Deadline finish = Deadline::After(milliseconds(2000))) {
  ConnectionInfo connection;
  if (!client.empty()) connection.client_addr = IpAddress::Parse(client);
  connection.client_addr_text = client;
  MessageInfo message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info{connection, message, macros};
  auto instance = check.NewInstance();
  EXPECT_FALSE(instance->OnConnect(info));
  return instance->Finish(info, finish);
}

void AddRecords(FakeResolver& r) {
  r.AddPtr(kV4Ptr, {"mail.example.org"});
  r.AddA("mail.example.org", {"192.0.2.99"});
  r.AddPtr("7.100.51.198.in-addr.arpa", {"liar.example.org"});
  r.AddA("liar.example.org", {"192.0.2.1"});
  r.SetStatus("5.113.0.203.in-addr.arpa", dns::RecordType::kPtr, dns::Status::kTempError,
              "SERVFAIL");
  r.AddPtr(kV6Ptr, {"mail6.example.org"});
  r.AddAaaa("mail6.example.org", {"2001:db8::99"});
}

TEST(IprevCheck, ResultsTable) {
  struct Case {
    const char* name;
    std::string client;
    CheckStatus want_status;
    std::string want_symbol;
    double want_score;
    std::string want_auth;
  } cases[] = {
      {"pass", "192.0.2.99", CheckStatus::kPass, "IPREV_PASS", 0,
       "iprev=pass policy.iprev=192.0.2.99 (mail.example.org)"},
      {"mismatch", "198.51.100.7", CheckStatus::kFail, "IPREV_FAIL", 1,
       "iprev=fail policy.iprev=198.51.100.7 (no forward match for liar.example.org)"},
      {"no PTR", "198.51.100.8", CheckStatus::kPermerror, "IPREV_NO_PTR", 2,
       "iprev=permerror policy.iprev=198.51.100.8 (no PTR record)"},
      {"PTR SERVFAIL", "203.0.113.5", CheckStatus::kTemperror, "IPREV_TEMPERROR", 0,
       "iprev=temperror policy.iprev=203.0.113.5 (SERVFAIL)"},
      {"IPv6, address quoted", "2001:db8::99", CheckStatus::kPass, "IPREV_PASS", 0,
       "iprev=pass policy.iprev=\"2001:db8::99\" (mail6.example.org)"},
      {"IPv4-mapped client is evaluated as IPv4", "::ffff:192.0.2.99", CheckStatus::kPass,
       "IPREV_PASS", 0, "iprev=pass policy.iprev=192.0.2.99 (mail.example.org)"},
  };
  for (const Case& c : cases) {
    FakeResolver resolver;
    AddRecords(resolver);
    auto check = MakeCheck(Table({}), &resolver);
    ASSERT_TRUE(check);
    EXPECT_EQ(check->stages(), kStageConnect);
    CheckResult got = RunMessage(*check, c.client);
    EXPECT_EQ(got.status, c.want_status) << c.name;
    ASSERT_EQ(got.symbols.size(), 1u) << c.name;
    EXPECT_EQ(got.symbols[0].name, c.want_symbol) << c.name;
    EXPECT_EQ(got.symbols[0].score, c.want_score) << c.name;
    ASSERT_EQ(got.auth_results.size(), 1u) << c.name;
    EXPECT_EQ(got.auth_results[0], c.want_auth) << c.name;
    ASSERT_EQ(got.methods.size(), 1u) << c.name;
    const std::string want_auth = c.want_auth;
    EXPECT_EQ("iprev=" + got.methods[0].result + " ",
              want_auth.substr(0, want_auth.find(' ') + 1))
        << c.name;
    // The address as A-R shows it, unquoted (a mapped client as IPv4).
    std::string shown = want_auth.substr(want_auth.find("policy.iprev=") + 13);
    shown = shown.substr(0, shown.find(' '));
    if (shown.front() == '"') shown = shown.substr(1, shown.size() - 2);
    EXPECT_EQ(got.methods[0].Property("policy.iprev"), shown) << c.name;
  }
}

TEST(IprevCheck, NoClientAddressMeansNoResult) {
  FakeResolver resolver;
  auto check = MakeCheck(Table({}), &resolver);
  CheckResult got = RunMessage(*check, "");
  EXPECT_EQ(got.status, CheckStatus::kNone);
  EXPECT_TRUE(got.symbols.empty());
  EXPECT_TRUE(got.auth_results.empty());  // RFC 8601 2.7.3 has no "none" for iprev
  EXPECT_EQ(resolver.lookups(), 0);
}

TEST(IprevCheck, TimeoutIsTemperrorWithinTheDeadline) {
  FakeResolver resolver;
  resolver.set_async(true);
  resolver.SetUnanswered(kV4Ptr, dns::RecordType::kPtr);
  auto check = MakeCheck(Table({}), &resolver);
  const auto start = std::chrono::steady_clock::now();
  CheckResult got = RunMessage(*check, "192.0.2.99", Deadline::After(milliseconds(200)));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, milliseconds(150));
  EXPECT_LT(elapsed, milliseconds(1500));
  EXPECT_EQ(got.status, CheckStatus::kTemperror);
  ASSERT_EQ(got.symbols.size(), 1u);
  EXPECT_EQ(got.symbols[0].name, "IPREV_TEMPERROR");
  EXPECT_EQ(got.symbols[0].detail, "timeout");
  EXPECT_EQ(got.auth_results,
            std::vector<std::string>{"iprev=temperror policy.iprev=192.0.2.99 (timeout)"});
}

TEST(IprevCheck, ScoresAreConfigurable) {
  FakeResolver resolver;
  AddRecords(resolver);
  auto check =
      MakeCheck(Table({{"scores", Table({{"IPREV_NO_PTR", Num(3.5)}, {"IPREV_PASS", Num(-0.5)}})}}),
                &resolver);
  ASSERT_TRUE(check);
  EXPECT_EQ(RunMessage(*check, "198.51.100.8").symbols[0].score, 3.5);
  EXPECT_EQ(RunMessage(*check, "192.0.2.99").symbols[0].score, -0.5);
  EXPECT_EQ(RunMessage(*check, "198.51.100.7").symbols[0].score, 1);  // default kept
}

TEST(IprevCheck, DetailNamesTheLimitWhenPtrNamesWereDropped) {
  IprevOutcome outcome{IprevResult::kFail, "n1.example.org", "no forward match", 12};
  CheckResult got = BuildIprevResult(outcome, *IpAddress::Parse("192.0.2.99"), IprevOptions{});
  ASSERT_EQ(got.symbols.size(), 1u);
  EXPECT_EQ(got.symbols[0].detail, "n1.example.org: no forward match (first 10 of 12 PTR names)");
}

TEST(IprevCheck, CommentNeverCarriesHeaderSyntax) {
  // A resolver error text is ours, but keep the header safe regardless.
  IprevOutcome outcome{IprevResult::kTempError, "", "bad (text); x=y\r\n", 0};
  EXPECT_EQ(IprevAuthResult(outcome, *IpAddress::Parse("192.0.2.99")),
            "iprev=temperror policy.iprev=192.0.2.99 (bad ?text?"
            "? x?y?"
            "?)");
}

}  // namespace
}  // namespace portcullis::iprev
