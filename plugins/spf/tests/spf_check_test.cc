// The spf Check: options (errors with file:line), the per-message instance
// on a FakeResolver, action mapping, symbols and Authentication-Results.
#include "spf_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <unordered_map>
#include <utility>

#include "portcullis/check_registry.h"
#include "portcullis/smtp_reply.h"
#include "spf_report.h"
#include "config_tree.h"
#include "spf_test_support.h"

namespace portcullis::spf {
namespace {

using portcullis::testing::FakeResolver;
using testing::LoadZone;
using testing::Zone;

using portcullis::testing::Bool;
using portcullis::testing::List;
using portcullis::testing::Num;
using portcullis::testing::Str;
using portcullis::testing::Table;

std::unique_ptr<Check> MakeCheck(const ConfigValue& tree, dns::Resolver* resolver,
                                 ConfigErrors* errors) {
  const CheckFactory* factory = FindCheckFactory("spf");
  EXPECT_TRUE(factory) << "spf is not registered";
  if (!factory) return nullptr;
  ConfigReader reader(&tree, "checks.spf", "portcullis.lua", errors);
  CheckContext context;
  context.resolver = resolver;
  return (*factory)(reader, context);
}

std::unique_ptr<Check> MakeCheck(const ConfigValue& tree, dns::Resolver* resolver) {
  ConfigErrors errors;
  auto check = MakeCheck(tree, resolver, &errors);
  for (const std::string& error : errors.all()) ADD_FAILURE() << error;
  return check;
}

struct Transaction {
  ConnectionInfo connection;
  MessageInfo message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info() const { return TransactionInfo{connection, message, macros}; }
};

Transaction Mail(const std::string& ip, const std::string& sender,
                 const std::string& helo = "mail.example.net") {
  Transaction t;
  if (!ip.empty()) t.connection.client_addr = IpAddress::Parse(ip);
  t.connection.client_addr_text = ip;
  t.connection.helo = helo;
  t.message.mail_from = sender;
  return t;
}

// Runs one message through a fresh instance.
CheckResult RunMessage(const Check& check, const Transaction& t,
                       Deadline deadline = Deadline::After(std::chrono::seconds(5))) {
  auto instance = check.NewInstance();
  EXPECT_EQ(instance->OnMailFrom(t.info()), std::nullopt);
  return instance->Finish(t.info(), deadline);
}

std::string SymbolNames(const CheckResult& result) {
  std::string names;
  for (const Symbol& symbol : result.symbols) names += (names.empty() ? "" : " ") + symbol.name;
  return names;
}

TEST(SpfConfig, DefaultsAndStages) {
  auto check = MakeCheck(Table({}), nullptr);
  ASSERT_TRUE(check);
  EXPECT_EQ(check->stages(), kStageHelo | kStageMailFrom);  // HELO for null senders
  const SpfOptions defaults = DefaultSpfOptions();
  EXPECT_TRUE(defaults.check_helo);
  EXPECT_EQ(defaults.ActionFor(SpfResult::kFail), Action::kReject);
  for (SpfResult result : {SpfResult::kNone, SpfResult::kNeutral, SpfResult::kPass,
                           SpfResult::kSoftfail, SpfResult::kTemperror, SpfResult::kPermerror}) {
    EXPECT_EQ(defaults.ActionFor(result), Action::kNone) << ResultName(result);
  }
  EXPECT_EQ(defaults.ScoreFor(SpfResult::kFail), 5);
  EXPECT_EQ(defaults.ScoreFor(SpfResult::kSoftfail), 2);
  EXPECT_EQ(defaults.ScoreFor(SpfResult::kPass), -1);
  EXPECT_EQ(defaults.ScoreFor(SpfResult::kPermerror), 1);
  EXPECT_EQ(defaults.ScoreFor(SpfResult::kTemperror), 0);
  EXPECT_EQ(defaults.timeout, std::chrono::milliseconds(20000));
  EXPECT_FALSE(defaults.received_spf_header);
}

TEST(SpfConfig, ErrorsNameFileAndLine) {
  struct Case {
    const char* name;
    ConfigValue tree;
    const char* want_error;
  } cases[] = {
      {"bad action", Table({{"actions", Table({{"fail", Str("drop", 12)}}, 11)}}, 10),
       "portcullis.lua:12: checks.spf.actions.fail: 'drop' is not one of: none, reject"},
      {"discard is refused", Table({{"actions", Table({{"permerror", Str("discard", 7)}}, 6)}}),
       "portcullis.lua:7: checks.spf.actions.permerror: 'discard' is not one of"},
      {"unknown result in actions", Table({{"actions", Table({{"failed", Str("reject", 9)}}, 8)}}),
       "portcullis.lua:9: unknown option 'checks.spf.actions.failed'"},
      {"unknown option", Table({{"check_helos", Bool(true, 4)}}),
       "portcullis.lua:4: unknown option 'checks.spf.check_helos'"},
      {"wrong type", Table({{"check_helo", Str("yes", 5)}}),
       "portcullis.lua:5: checks.spf.check_helo: expected boolean"},
      {"unknown score", Table({{"scores", Table({{"failure", Num(3)}}, 14)}}),
       "portcullis.lua:14: checks.spf.scores: unknown key 'failure'"},
      {"bad fail domain",
       Table({{"reject_fail_domains", List({"example.com", "bad..example"}, 20)}}),
       "portcullis.lua:20: checks.spf.reject_fail_domains: 'bad..example' is not a domain name"},
      {"timeout range", Table({{"timeout_ms", Num(10, 3)}}),
       "portcullis.lua:3: checks.spf.timeout_ms: must be between 100 and 120000"},
  };
  for (const Case& c : cases) {
    ConfigErrors errors;
    MakeCheck(c.tree, nullptr, &errors);
    std::string all;
    for (const std::string& error : errors.all()) all += error + "\n";
    EXPECT_NE(all.find(c.want_error), std::string::npos) << c.name << ": got\n"
                                                         << all << "want " << c.want_error;
  }
}

TEST(SpfConfig, BadOptionsGiveNoCheck) {
  ConfigErrors errors;
  EXPECT_FALSE(MakeCheck(Table({{"actions", Table({{"fail", Str("drop")}})}}), nullptr, &errors));
  EXPECT_FALSE(MakeCheck(Table({{"scores", Table({{"nope", Num(1)}})}}), nullptr, &errors));
}

Zone BaseZone() {
  return {
      {"TXT", "pass.example", "v=spf1 ip4:192.0.2.1 -all"},
      {"TXT", "fail.example", "v=spf1 -all exp=why.fail.example"},
      {"TXT", "why.fail.example", "%{i} may not send for %{d}"},
      {"TXT", "soft.example", "v=spf1 ~all"},
      {"TXT", "neutral.example", "v=spf1 ?all"},
      {"TXT", "perm.example", "v=spf1 bogus"},
      {"TEMPFAIL", "temp.example", "TXT"},
      {"TXT", "mail.example.net", "v=spf1 ip4:192.0.2.1 -all"},
      {"TXT", "long.example", "v=spf1 -all exp=why.long.example"},
      {"TXT", "why.long.example", std::string(600, 'x') + " %{s}"},
  };
}

TEST(SpfCheck, ResultsSymbolsAndAuthResults) {
  FakeResolver resolver;
  LoadZone(resolver, BaseZone());
  auto check = MakeCheck(Table({}), &resolver);
  ASSERT_TRUE(check);
  struct Case {
    const char* sender;
    const char* ip;
    CheckStatus want_status;
    const char* want_symbols;
    double want_score;
    const char* want_auth;
  } cases[] = {
      {"user@pass.example", "192.0.2.1", CheckStatus::kPass, "SPF_PASS SPF_HELO_PASS", -1,
       "spf=pass (pass.example: ip4:192.0.2.1 matched) smtp.mailfrom=user@pass.example"},
      {"user@fail.example", "192.0.2.1", CheckStatus::kFail, "SPF_FAIL SPF_HELO_PASS", 5,
       "spf=fail (fail.example: -all matched) smtp.mailfrom=user@fail.example"},
      {"user@soft.example", "192.0.2.9", CheckStatus::kSoftfail, "SPF_SOFTFAIL SPF_HELO_FAIL", 2,
       "spf=softfail (soft.example: ~all matched) smtp.mailfrom=user@soft.example"},
      {"user@neutral.example", "192.0.2.1", CheckStatus::kNeutral, "SPF_NEUTRAL SPF_HELO_PASS", 0,
       "spf=neutral (neutral.example: ?all matched) smtp.mailfrom=user@neutral.example"},
      {"user@none.example", "192.0.2.1", CheckStatus::kNone, "SPF_NONE SPF_HELO_PASS", 0,
       "spf=none (no SPF record at none.example) smtp.mailfrom=user@none.example"},
      {"user@perm.example", "192.0.2.1", CheckStatus::kPermerror, "SPF_PERMERROR SPF_HELO_PASS", 1,
       "spf=permerror (SPF record of perm.example: term 'bogus': unknown mechanism) "
       "smtp.mailfrom=user@perm.example"},
      {"user@temp.example", "192.0.2.1", CheckStatus::kTemperror, "SPF_TEMPERROR SPF_HELO_PASS", 0,
       "spf=temperror (DNS error for TXT temp.example: timeout) smtp.mailfrom=user@temp.example"},
      // 2.4: a null sender is the HELO identity, reported as smtp.helo.
      {"", "192.0.2.1", CheckStatus::kPass, "SPF_PASS", -1,
       "spf=pass (mail.example.net: ip4:192.0.2.1 matched) smtp.helo=mail.example.net"},
      {"", "192.0.2.9", CheckStatus::kFail, "SPF_FAIL", 5,
       "spf=fail (mail.example.net: -all matched) smtp.helo=mail.example.net"},
      // A quoted local-part becomes a quoted-string value.
      {"\"a b\"@pass.example", "192.0.2.1", CheckStatus::kPass, "SPF_PASS SPF_HELO_PASS", -1,
       "spf=pass (pass.example: ip4:192.0.2.1 matched) smtp.mailfrom=\"\\\"a b\\\"@pass.example\""},
  };
  for (const Case& c : cases) {
    CheckResult result = RunMessage(*check, Mail(c.ip, c.sender));
    EXPECT_EQ(result.status, c.want_status) << c.sender;
    EXPECT_EQ(SymbolNames(result), c.want_symbols) << c.sender;
    ASSERT_FALSE(result.symbols.empty());
    EXPECT_EQ(result.symbols[0].score, c.want_score) << c.sender;
    ASSERT_EQ(result.auth_results.size(), 1u) << c.sender;
    EXPECT_EQ(result.auth_results[0], c.want_auth) << c.sender;
    // The same in structured form, for DMARC: result name and identity.
    ASSERT_EQ(result.methods.size(), 1u) << c.sender;
    EXPECT_EQ(result.methods[0].method, "spf");
    const std::string want_auth = c.want_auth;
    EXPECT_EQ("spf=" + result.methods[0].result + " ",
              want_auth.substr(0, want_auth.find(' ') + 1))
        << c.sender;
    const std::string sender = c.sender;
    EXPECT_EQ(result.methods[0].Property(sender.empty() ? "smtp.helo" : "smtp.mailfrom"),
              sender.empty() ? std::string("mail.example.net") : sender)
        << c.sender;
  }
}

TEST(SpfCheck, ActionMapping) {
  struct Case {
    const char* name;
    ConfigValue tree;
    const char* sender;
    const char* ip;
    std::optional<Action> want_action;
    const char* want_code;
    const char* want_enhanced;
    const char* want_text;
  } cases[] = {
      {"fail rejects by default with the explanation", Table({}), "u@fail.example", "192.0.2.7",
       Action::kReject, "550", "5.7.23",
       "SPF validation failed: 192.0.2.7 may not send for fail.example"},
      {"fail with reject_fail_domains listing it",
       Table({{"reject_fail_domains", List({"FAIL.example"})}}), "u@fail.example", "192.0.2.7",
       Action::kReject, "550", "5.7.23",
       "SPF validation failed: 192.0.2.7 may not send for fail.example"},
      {"fail outside reject_fail_domains only scores",
       Table({{"reject_fail_domains", List({"other.example"})}}), "u@fail.example", "192.0.2.7",
       std::nullopt, "", "", ""},
      {"fail as none", Table({{"actions", Table({{"fail", Str("none")}})}}), "u@fail.example",
       "192.0.2.7", std::nullopt, "", "", ""},
      {"fail as tempfail", Table({{"actions", Table({{"fail", Str("tempfail")}})}}),
       "u@fail.example", "192.0.2.7", Action::kTempfail, "451", "4.7.23",
       "SPF validation failed: 192.0.2.7 may not send for fail.example"},
      {"softfail default none", Table({}), "u@soft.example", "192.0.2.7", std::nullopt, "", "", ""},
      {"softfail quarantine", Table({{"actions", Table({{"softfail", Str("quarantine")}})}}),
       "u@soft.example", "192.0.2.7", Action::kQuarantine, "", "", ""},
      {"temperror tempfail", Table({{"actions", Table({{"temperror", Str("tempfail")}})}}),
       "u@temp.example", "192.0.2.7", Action::kTempfail, "451", "4.7.24", "SPF validation error"},
      {"permerror reject", Table({{"actions", Table({{"permerror", Str("reject")}})}}),
       "u@perm.example", "192.0.2.7", Action::kReject, "550", "5.7.24", "SPF validation error"},
      {"pass accept", Table({{"actions", Table({{"pass", Str("accept")}})}}), "u@pass.example",
       "192.0.2.1", Action::kAccept, "", "", ""},
      {"none reject", Table({{"actions", Table({{"none", Str("reject")}})}}), "u@none.example",
       "192.0.2.1", Action::kReject, "550", "5.7.1", "Rejected by SPF policy"},
      {"null sender fail uses the HELO domain for the list",
       Table({{"reject_fail_domains", List({"mail.example.net"})}}), "", "192.0.2.7",
       Action::kReject, "550", "5.7.23", "SPF validation failed"},
  };
  FakeResolver resolver;
  LoadZone(resolver, BaseZone());
  for (const Case& c : cases) {
    auto check = MakeCheck(c.tree, &resolver);
    ASSERT_TRUE(check) << c.name;
    CheckResult result = RunMessage(*check, Mail(c.ip, c.sender));
    if (!c.want_action) {
      EXPECT_FALSE(result.request) << c.name;
      continue;
    }
    ASSERT_TRUE(result.request) << c.name;
    EXPECT_EQ(result.request->action, *c.want_action) << c.name;
    EXPECT_EQ(result.request->smtp_code, c.want_code) << c.name;
    EXPECT_EQ(result.request->enhanced_code, c.want_enhanced) << c.name;
    EXPECT_EQ(result.request->text, c.want_text) << c.name;
    EXPECT_EQ(result.request->reason.rfind("SPF_", 0), 0u) << c.name;
  }
}

TEST(SpfCheck, LongExplanationKeepsTheReplySafe) {
  FakeResolver resolver;
  LoadZone(resolver, BaseZone());
  auto check = MakeCheck(Table({}), &resolver);
  CheckResult result = RunMessage(*check, Mail("192.0.2.7", "u@long.example"));
  ASSERT_TRUE(result.request);
  EXPECT_TRUE(IsSafeReplyText(result.request->text)) << result.request->text;
  EXPECT_EQ(result.request->text.size(), kMaxReplyText);
}

TEST(SpfCheck, HeloCheckOptional) {
  FakeResolver resolver;
  LoadZone(resolver, BaseZone());
  auto check = MakeCheck(Table({{"check_helo", Bool(false)}}), &resolver);
  CheckResult result = RunMessage(*check, Mail("192.0.2.1", "u@pass.example"));
  EXPECT_EQ(SymbolNames(result), "SPF_PASS");
  EXPECT_EQ(resolver.LookupsOf("mail.example.net", dns::RecordType::kTxt), 0);
}

TEST(SpfCheck, ScoresAreConfigurable) {
  FakeResolver resolver;
  LoadZone(resolver, BaseZone());
  auto check = MakeCheck(Table({{"scores", Table({{"fail", Num(7.5)}, {"helo_fail", Num(1.5)}})}}),
                         &resolver);
  CheckResult result = RunMessage(*check, Mail("192.0.2.9", "u@soft.example"));
  ASSERT_EQ(result.symbols.size(), 2u);
  EXPECT_EQ(result.symbols[1].name, "SPF_HELO_FAIL");
  EXPECT_EQ(result.symbols[1].score, 1.5);
  result = RunMessage(*check, Mail("192.0.2.9", "u@fail.example"));
  EXPECT_EQ(result.symbols[0].score, 7.5);
}

TEST(SpfCheck, NoClientAddressIsNone) {
  FakeResolver resolver;
  auto check = MakeCheck(Table({{"scores", Table({{"no_client_address", Num(-0.5)}})}}), &resolver);
  CheckResult result = RunMessage(*check, Mail("", "u@pass.example"));
  EXPECT_EQ(result.status, CheckStatus::kNone);
  EXPECT_EQ(SymbolNames(result), "SPF_NO_CLIENT_ADDRESS");
  EXPECT_EQ(result.symbols[0].score, -0.5);
  EXPECT_TRUE(result.auth_results.empty());
  EXPECT_FALSE(result.request);
  EXPECT_EQ(resolver.lookups(), 0);
}

TEST(SpfCheck, NoResolverIsTemperror) {
  auto check = MakeCheck(Table({}), nullptr);
  CheckResult result = RunMessage(*check, Mail("192.0.2.1", "u@pass.example"));
  EXPECT_EQ(result.status, CheckStatus::kTemperror);
  EXPECT_EQ(SymbolNames(result), "SPF_TEMPERROR");
  EXPECT_EQ(result.symbols[0].detail, "no resolver");
  EXPECT_EQ(result.auth_results[0], "spf=temperror (no resolver) smtp.mailfrom=u@pass.example");
}

TEST(SpfCheck, OutstandingAtTheDeadlineIsTemperror) {
  FakeResolver resolver;
  LoadZone(resolver, {{"HANG", "slow.example", "TXT"}, {"HANG", "mail.example.net", "TXT"}});
  auto check = MakeCheck(Table({}), &resolver);
  const auto start = std::chrono::steady_clock::now();
  CheckResult result = RunMessage(*check, Mail("192.0.2.1", "u@slow.example"),
                                  Deadline::After(std::chrono::milliseconds(100)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(result.status, CheckStatus::kTemperror);
  EXPECT_EQ(SymbolNames(result), "SPF_TEMPERROR SPF_HELO_TEMPERROR");
}

TEST(SpfCheck, AsyncResolverAndFinishWithoutMailFrom) {
  FakeResolver resolver;
  LoadZone(resolver, BaseZone());
  resolver.set_async(true);
  auto check = MakeCheck(Table({}), &resolver);
  Transaction t = Mail("192.0.2.1", "u@pass.example");
  auto instance = check->NewInstance();
  // An offline scan may go straight to the end of message.
  CheckResult result = instance->Finish(t.info(), Deadline::After(std::chrono::seconds(5)));
  EXPECT_EQ(result.status, CheckStatus::kPass);
}

TEST(SpfCheck, ReceivedSpfHeaderOnlyWhenAsked) {
  FakeResolver resolver;
  LoadZone(resolver, BaseZone());
  Transaction t = Mail("192.0.2.1", "u@pass.example");
  t.macros["j"] = "mx.receiver.example";
  CheckResult without = RunMessage(*MakeCheck(Table({}), &resolver), t);
  EXPECT_TRUE(without.headers.empty());
  CheckResult with =
      RunMessage(*MakeCheck(Table({{"received_spf_header", Bool(true)}}), &resolver), t);
  ASSERT_EQ(with.headers.size(), 1u);
  EXPECT_EQ(with.headers[0].name, "Received-SPF");
  EXPECT_TRUE(with.headers[0].prepend);
  EXPECT_THAT(with.headers[0].value,
              ::testing::StartsWith("pass ("));
  EXPECT_THAT(with.headers[0].value,
              ::testing::HasSubstr(
                  "client-ip=192.0.2.1; envelope-from=\"u@pass.example\";"));  // RFC 7208 9.1 example
  EXPECT_THAT(with.headers[0].value, ::testing::HasSubstr("receiver=mx.receiver.example;"));
}

TEST(SpfCheck, ReceiverMacroFromTheMta) {
  FakeResolver resolver;
  LoadZone(resolver, {{"TXT", "r.example", "v=spf1 -all exp=why.r.example"},
                      {"TXT", "why.r.example", "checked by %{r}"}});
  auto check = MakeCheck(Table({}), &resolver);
  Transaction t = Mail("192.0.2.1", "u@r.example");
  t.macros["j"] = "mx.receiver.example";
  CheckResult result = RunMessage(*check, t);
  ASSERT_TRUE(result.request);
  EXPECT_EQ(result.request->text, "SPF validation failed: checked by mx.receiver.example");
}

TEST(SpfReport, ReceivedSpfValue) {
  SpfOutcome outcome;
  outcome.result = SpfResult::kPass;
  outcome.reason = "example.com: ip4:192.0.2.1 matched";
  EXPECT_EQ(ReceivedSpfValue(outcome, Identity::kMailFrom, *IpAddress::Parse("192.0.2.1"),
                             "user@example.com", "mail.example.com", "mx.example.org"),
            "pass (example.com: ip4:192.0.2.1 matched) client-ip=192.0.2.1; "
            "envelope-from=\"user@example.com\"; helo=mail.example.com; identity=mailfrom; "
            "receiver=mx.example.org;");
  outcome.result = SpfResult::kPermerror;
  outcome.reason = "bad (record)";
  EXPECT_EQ(ReceivedSpfValue(outcome, Identity::kHelo, *IpAddress::Parse("2001:db8::1"), "",
                             "helo.example", ""),
            "permerror (bad \\(record\\)) client-ip=2001:db8::1; helo=helo.example; "
            "identity=helo; problem=\"bad (record)\";");
}

TEST(SpfReport, PropertyValues) {
  EXPECT_EQ(PropertyValue("user@example.com"), "user@example.com");
  EXPECT_EQ(PropertyValue("first.last+tag@example.com"), "first.last+tag@example.com");
  EXPECT_EQ(PropertyValue("example.com"), "example.com");
  EXPECT_EQ(PropertyValue("[192.0.2.1]"), "\"[192.0.2.1]\"");
  EXPECT_EQ(PropertyValue("a;b@example.com"), "\"a;b@example.com\"");
  EXPECT_EQ(PropertyValue("x@ex\r\nample.com"), "\"x@ex??ample.com\"");
}

TEST(SpfCheck, EarlyResultGivesTheMailFromVerdictBeforeEndOfMessage) {
  FakeResolver resolver;
  LoadZone(resolver, BaseZone());
  resolver.set_async(true);
  auto check = MakeCheck(Table({{"received_spf_header", Bool(true)}}), &resolver);
  Transaction t = Mail("192.0.2.1", "u@pass.example");
  t.macros["j"] = "mx.receiver.example";
  auto instance = check->NewInstance();
  const Deadline soon = Deadline::After(std::chrono::seconds(5));
  EXPECT_EQ(instance->EarlyResult(t.info(), soon), std::nullopt) << "nothing started yet";
  ASSERT_EQ(instance->OnMailFrom(t.info()), std::nullopt);
  std::optional<CheckResult> early = instance->EarlyResult(t.info(), soon);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, CheckStatus::kPass);
  EXPECT_EQ(SymbolNames(*early), "SPF_PASS") << "no HELO symbol before the end";
  ASSERT_EQ(early->methods.size(), 1u);
  EXPECT_EQ(early->methods[0].result, "pass");
  EXPECT_EQ(early->methods[0].Property("smtp.mailfrom"), "u@pass.example");
  EXPECT_TRUE(early->headers.empty()) << "Received-SPF is added once, at the end";
  // Asking early does not use the evaluation up.
  CheckResult final_result = instance->Finish(t.info(), soon);
  EXPECT_EQ(final_result.status, CheckStatus::kPass);
  EXPECT_EQ(final_result.headers.size(), 1u);
}

TEST(SpfCheck, NoEarlyResultForLocalClients) {
  FakeResolver resolver;
  auto check = MakeCheck(Table({}), &resolver);
  Transaction t = Mail("", "u@pass.example");
  auto instance = check->NewInstance();
  ASSERT_EQ(instance->OnMailFrom(t.info()), std::nullopt);
  EXPECT_EQ(instance->EarlyResult(t.info(), Deadline::After(std::chrono::seconds(1))),
            std::nullopt);
}

}  // namespace
}  // namespace portcullis::spf
