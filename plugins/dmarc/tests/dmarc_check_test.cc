// The dmarc Check: options (errors with file:line), the per-message
// instance on a FakeResolver with SPF/DKIM results from earlier checks,
// symbols, Authentication-Results and the action per applied policy.
#include "dmarc_check.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config_tree.h"
#include "fake_resolver.h"
#include "portcullis/check_registry.h"

namespace portcullis::dmarc {
namespace {

using portcullis::testing::FakeResolver;

const char* const kSmallList = PORTCULLIS_DMARC_TEST_DATA "/psl_small.dat";

using portcullis::testing::Bool;
using portcullis::testing::Num;
using portcullis::testing::Str;
using portcullis::testing::Table;

std::unique_ptr<Check> MakeCheck(const ConfigValue& tree, dns::Resolver* resolver,
                                 ConfigErrors* errors) {
  const CheckFactory* factory = FindCheckFactory("dmarc");
  EXPECT_TRUE(factory) << "dmarc is not registered";
  if (!factory) return nullptr;
  ConfigReader reader(&tree, "checks.dmarc", "portcullis.lua", errors);
  CheckContext context;
  context.resolver = resolver;
  return (*factory)(reader, context);
}

TEST(DmarcConfig, DefaultsStagesAndOrder) {
  ConfigErrors errors;
  auto check = MakeCheck(Table({{"psl_file", Str(kSmallList)}}), nullptr, &errors);
  for (const std::string& error : errors.all()) ADD_FAILURE() << error;
  ASSERT_TRUE(check);
  EXPECT_EQ(check->stages(), kStageHeader | kStageEndOfHeaders);
  EXPECT_EQ(check->after(), (std::vector<std::string>{"spf", "dkim"}));
  const auto scores = DefaultDmarcScores();
  EXPECT_EQ(scores.at("DMARC_POLICY_REJECT"), 5);
  EXPECT_EQ(scores.size(), 8u);
}

TEST(DmarcConfig, ErrorsNameFileAndLine) {
  struct Case {
    const char* name;
    ConfigValue tree;
    const char* want_error;
  } cases[] = {
      {"missing list", Table({{"psl_file", Str("/nonexistent.dat", 4)}}),
       "portcullis.lua:4: checks.dmarc.psl_file: /nonexistent.dat: cannot open"},
      {"unknown symbol",
       Table({{"psl_file", Str(kSmallList)}, {"scores", Table({{"DMARC_FOO", Num(1)}}, 7)}}),
       "portcullis.lua:7: checks.dmarc.scores: unknown symbol 'DMARC_FOO'"},
      {"score out of range",
       Table({{"psl_file", Str(kSmallList)}, {"scores", Table({{"DMARC_FAIL", Num(1000)}}, 8)}}),
       "portcullis.lua:8: checks.dmarc.scores: DMARC_FAIL: score out of range"},
      {"bad sections", Table({{"psl_file", Str(kSmallList)}, {"psl_sections", Str("x", 3)}}),
       "portcullis.lua:3: checks.dmarc.psl_sections"},
  };
  for (const Case& c : cases) {
    ConfigErrors errors;
    auto check = MakeCheck(c.tree, nullptr, &errors);
    EXPECT_FALSE(check) << c.name;
    ASSERT_FALSE(errors.all().empty()) << c.name;
    EXPECT_NE(errors.all().front().find(c.want_error), std::string::npos)
        << c.name << ": got '" << errors.all().front() << "'";
  }
}

struct Message {
  std::vector<std::string> from;  // From header values
  std::vector<AuthMethodResult> methods;
};

struct Outcome {
  CheckResult result;
  std::string symbols;
};

Outcome RunMessage(const DmarcCheck& check, const Message& m,
                   Deadline deadline = Deadline::After(std::chrono::seconds(5))) {
  ConnectionInfo connection;
  MessageInfo message;
  std::unordered_map<std::string, std::string> macros;
  std::vector<CheckResult> finished(1);
  finished[0].check = "spf";
  finished[0].methods = m.methods;
  TransactionInfo info{connection, message, macros};
  auto instance = check.NewInstance();
  instance->OnHeader(info, "Subject", " hi");
  for (const std::string& value : m.from) instance->OnHeader(info, "From", value);
  instance->OnEndOfHeaders(info);
  TransactionInfo end{connection, message, macros, &finished};
  Outcome run;
  run.result = instance->Finish(end, deadline);
  for (const Symbol& symbol : run.result.symbols) {
    run.symbols += (run.symbols.empty() ? "" : " ") + symbol.name;
  }
  return run;
}

std::shared_ptr<const DmarcOptions> Options(bool honour_policy) {
  auto options = std::make_shared<DmarcOptions>();
  std::string error;
  options->psl = PublicSuffixList::Load(kSmallList, PslSections::kAll, &error);
  EXPECT_TRUE(options->psl) << error;
  options->honour_policy = honour_policy;
  options->scores = DefaultDmarcScores();
  return options;
}

AuthMethodResult Spf(const std::string& result, const std::string& mail_from) {
  return {"spf", result, {{"smtp.mailfrom", mail_from}}};
}
AuthMethodResult SpfHelo(const std::string& result, const std::string& helo) {
  return {"spf", result, {{"smtp.helo", helo}}};
}
AuthMethodResult Dkim(const std::string& result, const std::string& d) {
  return {"dkim", result, {{"header.d", d}, {"header.s", "sel"}}};
}

TEST(DmarcCheck, MessagesTable) {
  FakeResolver resolver;
  resolver.AddTxt("_dmarc.reject.example", {"v=DMARC1; p=reject; sp=quarantine"});
  resolver.AddTxt("_dmarc.quarantine.example", {"v=DMARC1; p=quarantine"});
  resolver.AddTxt("_dmarc.sampled.example", {"v=DMARC1; p=reject; pct=10"});
  resolver.AddTxt("_dmarc.two.example", {"v=DMARC1; p=reject", "v=DMARC1; p=none"});
  resolver.AddTxt("_dmarc.broken.example", {"v=DMARC1; p=reject; adkim=x"});
  resolver.SetStatus("_dmarc.flaky.example", dns::RecordType::kTxt, dns::Status::kTempError,
                     "SERVFAIL");
  struct Case {
    const char* name;
    Message message;
    bool honour;
    CheckStatus want_status;
    const char* want_symbols;
    const char* want_ar;
    Action want_action;  // kNone: no request
    const char* want_text;
  } cases[] = {
      {"aligned spf pass",
       {{" a@reject.example"}, {Spf("pass", "b@bounce.reject.example")}},
       true,
       CheckStatus::kPass,
       "DMARC_PASS",
       "dmarc=pass (p=reject; aligned SPF pass) header.from=reject.example policy.dmarc=none",
       Action::kNone,
       ""},
      {"aligned dkim pass",
       {{" a@reject.example"}, {Spf("fail", "b@other.example"), Dkim("pass", "reject.example")}},
       true,
       CheckStatus::kPass,
       "DMARC_PASS",
       "dmarc=pass (p=reject; aligned DKIM pass) header.from=reject.example policy.dmarc=none",
       Action::kNone,
       ""},
      {"null sender: helo aligned",
       {{" a@reject.example"}, {SpfHelo("pass", "mx.reject.example")}},
       true,
       CheckStatus::kPass,
       "DMARC_PASS",
       "dmarc=pass (p=reject; aligned SPF pass) header.from=reject.example policy.dmarc=none",
       Action::kNone,
       ""},
      {"fail reject",
       {{" a@reject.example"}, {Spf("pass", "b@other.example")}},
       true,
       CheckStatus::kFail,
       "DMARC_FAIL DMARC_POLICY_REJECT",
       "dmarc=fail (p=reject; no aligned SPF or DKIM pass) header.from=reject.example "
       "policy.dmarc=reject",
       Action::kReject,
       "Rejected by DMARC policy for reject.example"},
      {"fail reject, not honoured",
       {{" a@reject.example"}, {}},
       false,
       CheckStatus::kFail,
       "DMARC_FAIL DMARC_POLICY_REJECT",
       "dmarc=fail (p=reject; no aligned SPF or DKIM pass) header.from=reject.example "
       "policy.dmarc=reject",
       Action::kNone,
       ""},
      {"subdomain via sp",
       {{" a@news.reject.example"}, {}},
       true,
       CheckStatus::kFail,
       "DMARC_FAIL DMARC_POLICY_QUARANTINE",
       "dmarc=fail (p=quarantine; no aligned SPF or DKIM pass) header.from=news.reject.example "
       "policy.dmarc=quarantine",
       Action::kQuarantine,
       ""},
      {"quarantine",
       {{" a@quarantine.example"}, {}},
       true,
       CheckStatus::kFail,
       "DMARC_FAIL DMARC_POLICY_QUARANTINE",
       "dmarc=fail (p=quarantine; no aligned SPF or DKIM pass) header.from=quarantine.example "
       "policy.dmarc=quarantine",
       Action::kQuarantine,
       ""},
      {"pct=10 with draw 50",
       {{" a@sampled.example"}, {}},
       true,
       CheckStatus::kFail,
       "DMARC_FAIL DMARC_POLICY_QUARANTINE",
       "dmarc=fail (p=reject; no aligned SPF or DKIM pass; not sampled pct=10) "
       "header.from=sampled.example policy.dmarc=quarantine",
       Action::kQuarantine,
       ""},
      {"no record",
       {{" a@nothing.example"}, {}},
       true,
       CheckStatus::kNone,
       "DMARC_NONE",
       "dmarc=none (no DMARC record) header.from=nothing.example policy.dmarc=none",
       Action::kNone,
       ""},
      {"two records",
       {{" a@two.example"}, {}},
       true,
       CheckStatus::kNone,
       "DMARC_NONE",
       "dmarc=none (_dmarc.two.example: more than one DMARC record) header.from=two.example "
       "policy.dmarc=none",
       Action::kNone,
       ""},
      {"broken record",
       {{" a@broken.example"}, {}},
       true,
       CheckStatus::kPermerror,
       "DMARC_PERMERROR",
       "dmarc=permerror (_dmarc.broken.example: adkim=x: not r or s) "
       "header.from=broken.example policy.dmarc=none",
       Action::kNone,
       ""},
      {"temperror",
       {{" a@flaky.example"}, {}},
       true,
       CheckStatus::kTemperror,
       "DMARC_TEMPERROR",
       "dmarc=temperror (_dmarc.flaky.example: SERVFAIL) header.from=flaky.example "
       "policy.dmarc=none",
       Action::kNone,
       ""},
      {"no From",
       {{}, {}},
       true,
       CheckStatus::kPermerror,
       "DMARC_PERMERROR DMARC_BAD_FROM",
       "dmarc=permerror (no From header) policy.dmarc=none",
       Action::kNone,
       ""},
      {"three From",
       {{" a@reject.example", " b@reject.example", " c@reject.example"}, {}},
       true,
       CheckStatus::kPermerror,
       "DMARC_PERMERROR DMARC_BAD_FROM",
       "dmarc=permerror (3 From headers) policy.dmarc=none",
       Action::kNone,
       ""},
      {"two addresses",
       {{" a@reject.example, b@other.example"}, {}},
       true,
       CheckStatus::kPermerror,
       "DMARC_PERMERROR DMARC_BAD_FROM",
       "dmarc=permerror (From header has 2 addresses) policy.dmarc=none",
       Action::kNone,
       ""},
  };
  for (const Case& c : cases) {
    DmarcCheck check(Options(c.honour), &resolver, [] { return 50.0; });
    Outcome run = RunMessage(check, c.message);
    EXPECT_EQ(CheckStatusName(run.result.status), CheckStatusName(c.want_status)) << c.name;
    EXPECT_EQ(run.symbols, c.want_symbols) << c.name;
    ASSERT_EQ(run.result.auth_results.size(), 1u) << c.name;
    EXPECT_EQ(run.result.auth_results[0], c.want_ar) << c.name;
    ASSERT_EQ(run.result.methods.size(), 1u) << c.name;
    EXPECT_EQ(run.result.methods[0].method, "dmarc") << c.name;
    if (c.want_action == Action::kNone) {
      EXPECT_FALSE(run.result.request) << c.name;
      continue;
    }
    ASSERT_TRUE(run.result.request) << c.name;
    EXPECT_EQ(ActionName(run.result.request->action), ActionName(c.want_action)) << c.name;
    EXPECT_EQ(run.result.request->text, c.want_text) << c.name;
    if (c.want_action == Action::kReject) {
      EXPECT_EQ(run.result.request->smtp_code, "550") << c.name;
      EXPECT_EQ(run.result.request->enhanced_code, "5.7.1") << c.name;
    }
  }
}

// Through the registered factory: honour_policy = false leaves only symbols
// (pct=100 samples every failing message whatever the random draw).
TEST(DmarcCheck, FactoryHonourPolicyOption) {
  FakeResolver resolver;
  resolver.AddTxt("_dmarc.reject.example", {"v=DMARC1; p=reject"});
  for (bool honour : {true, false}) {
    ConfigErrors errors;
    auto check =
        MakeCheck(Table({{"psl_file", Str(kSmallList)}, {"honour_policy", Bool(honour, 2)}}),
                  &resolver, &errors);
    for (const std::string& error : errors.all()) ADD_FAILURE() << error;
    ASSERT_TRUE(check);
    const auto* dmarc = dynamic_cast<const DmarcCheck*>(check.get());
    ASSERT_TRUE(dmarc);
    Outcome run = RunMessage(*dmarc, {{" a@reject.example"}, {}});
    EXPECT_EQ(run.symbols, "DMARC_FAIL DMARC_POLICY_REJECT") << honour;
    EXPECT_EQ(run.result.request.has_value(), honour) << honour;
  }
}

TEST(DmarcCheck, UnansweredLookupIsTemperrorAtDeadline) {
  FakeResolver resolver;
  resolver.SetUnanswered("_dmarc.slow.example", dns::RecordType::kTxt);
  DmarcCheck check(Options(true), &resolver, [] { return 0.0; });
  Outcome run =
      RunMessage(check, {{" a@slow.example"}, {}}, Deadline::After(std::chrono::milliseconds(50)));
  EXPECT_EQ(run.result.status, CheckStatus::kTemperror);
  EXPECT_EQ(run.symbols, "DMARC_TEMPERROR");
  EXPECT_FALSE(run.result.request);
}

TEST(DmarcCheck, ScoresFromOptionsAndNoResolver) {
  auto options = std::make_shared<DmarcOptions>(*Options(true));
  options->scores["DMARC_TEMPERROR"] = 1.5;
  DmarcCheck check(options, nullptr, [] { return 0.0; });
  Outcome run = RunMessage(check, {{" a@reject.example"}, {}});
  EXPECT_EQ(run.result.status, CheckStatus::kTemperror);
  ASSERT_EQ(run.result.symbols.size(), 1u);
  EXPECT_EQ(run.result.symbols[0].score, 1.5);
  EXPECT_EQ(run.result.symbols[0].detail, "no DNS resolver");
}

}  // namespace
}  // namespace portcullis::dmarc
