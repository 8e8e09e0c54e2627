// Reading checks.bare_lf: defaults, every option, and errors with file:line.
#include "bare_lf_options.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "config_tree.h"

namespace portcullis::bare_lf {
namespace {

struct Parsed {
  std::optional<BareLfOptions> options;
  std::vector<std::string> errors;
};

Parsed Parse(const ConfigValue& table) {
  ConfigErrors errors;
  Parsed parsed;
  {
    ConfigReader reader(&table, "checks.bare_lf", "test.lua", &errors);
    parsed.options = ReadBareLfOptions(reader);
  }  // unknown keys are reported here
  parsed.errors = errors.all();
  return parsed;
}

TEST(BareLfOptions, Defaults) {
  ConfigErrors errors;
  std::optional<BareLfOptions> options;
  {
    ConfigReader reader(nullptr, "checks.bare_lf", "test.lua", &errors);
    options = ReadBareLfOptions(reader);
  }
  ASSERT_TRUE(options);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(options->policy(FindingClass::kHeader).action, ClassAction::kReject);
  EXPECT_EQ(options->policy(FindingClass::kBody).action, ClassAction::kScore);
  EXPECT_EQ(options->policy(FindingClass::kSmuggling).action, ClassAction::kReject);
  EXPECT_EQ(options->policy(FindingClass::kBody).text,
            "Message contains bare line feeds (RFC 5321 2.3.8)");
  EXPECT_EQ(options->score(FindingKind::kSmuggling), 10.0);
  EXPECT_EQ(options->score(FindingKind::kBareLfBody), 2.0);
}

TEST(BareLfOptions, EveryOption) {
  Parsed got = Parse(Table(
      {
          {"header_action", Str("quarantine", 2)},
          {"body_action", Str("tempfail", 3)},
          {"smuggling_action", Str("score", 4)},
          {"header_text", Str("No.", 5)},
          {"body_text", Str("Later.", 6)},
          {"smuggling_text", Str("Never.", 7)},
          {"scores", Table({{"BARE_LF_BODY", Num(0.5, 9)}, {"SMTP_SMUGGLING", Num(-1, 10)}}, 8)},
      },
      1));
  ASSERT_TRUE(got.options);
  EXPECT_TRUE(got.errors.empty());
  const BareLfOptions& o = *got.options;
  EXPECT_EQ(o.policy(FindingClass::kHeader).action, ClassAction::kQuarantine);
  EXPECT_EQ(o.policy(FindingClass::kBody).action, ClassAction::kTempfail);
  EXPECT_EQ(o.policy(FindingClass::kSmuggling).action, ClassAction::kScore);
  EXPECT_EQ(o.policy(FindingClass::kHeader).text, "No.");
  EXPECT_EQ(o.policy(FindingClass::kBody).text, "Later.");
  EXPECT_EQ(o.policy(FindingClass::kSmuggling).text, "Never.");
  EXPECT_EQ(o.score(FindingKind::kBareLfBody), 0.5);
  EXPECT_EQ(o.score(FindingKind::kSmuggling), -1);
  EXPECT_EQ(o.score(FindingKind::kNulBody), 3.0);  // untouched default
}

struct ErrorCase {
  std::string what;
  ConfigValue table;
  bool want_ok;
  std::vector<std::string> want_errors;
};

TEST(BareLfOptions, Errors) {
  const std::string kActions = "score, reject, tempfail, quarantine";
  // clang-format off: one case per line group reads as a table
  const std::vector<ErrorCase> cases = {
      {"bad action name",
       Table({{"header_action", Str("rejct", 7)}}, 1),
       false,
       {"test.lua:7: checks.bare_lf.header_action: 'rejct' is not one of: " + kActions}},
      {"discard is not offered",
       Table({{"smuggling_action", Str("discard", 3)}}, 1),
       false,
       {"test.lua:3: checks.bare_lf.smuggling_action: 'discard' is not one of: " + kActions}},
      {"action wrong type",
       Table({{"body_action", Num(1, 4)}}, 1),
       false,
       {"test.lua:4: checks.bare_lf.body_action: expected string, got number"}},
      {"unknown key",
       Table({{"header_actoin", Str("reject", 9)}}, 1),
       true,
       {"test.lua:9: unknown option 'checks.bare_lf.header_actoin'"}},
      {"unknown symbol",
       Table({{"scores", Table({{"BARE_LF", Num(1, 12)}}, 11)}}, 1),
       true,
       {"test.lua:12: unknown option 'checks.bare_lf.scores.BARE_LF'"}},
      {"score out of range",
       Table({{"scores", Table({{"NUL_BODY", Num(1e9, 5)}}, 4)}}, 1),
       false,
       {"test.lua:5: checks.bare_lf.scores.NUL_BODY: score must be between -100 and 100"}},
      {"score wrong type",
       Table({{"scores", Table({{"NUL_BODY", Str("high", 5)}}, 4)}}, 1),
       false,
       {"test.lua:5: checks.bare_lf.scores.NUL_BODY: expected number, got string"}},
      {"scores not a table",
       Table({{"scores", Num(3, 6)}}, 1),
       false,
       {"test.lua:6: checks.bare_lf.scores: expected a table of SYMBOL = score"}},
      {"text with line break",
       Table({{"body_text", Str("a\r\n250 ok", 8)}}, 1),
       false,
       {"test.lua:8: checks.bare_lf.body_text: must be one non-empty line of at most 400 printable characters"}},
      {"empty text",
       Table({{"header_text", Str("", 2)}}, 1),
       false,
       {"test.lua:2: checks.bare_lf.header_text: must be one non-empty line of at most 400 printable characters"}},
  };
  // clang-format on
  for (const ErrorCase& c : cases) {
    Parsed got = Parse(c.table);
    EXPECT_EQ(got.options.has_value(), c.want_ok) << c.what;
    EXPECT_EQ(got.errors, c.want_errors) << c.what;
  }
}

TEST(BareLfOptions, ActionNames) {
  for (ClassAction action : {ClassAction::kScore, ClassAction::kReject, ClassAction::kTempfail,
                             ClassAction::kQuarantine}) {
    EXPECT_EQ(ParseClassAction(ClassActionName(action)), action);
  }
  EXPECT_EQ(ParseClassAction("REJECT"), std::nullopt);
  EXPECT_EQ(ParseClassAction(""), std::nullopt);
}

TEST(BareLfOptions, ActionRequests) {
  struct Case {
    ClassAction action;
    std::optional<Action> want_action;
    std::string want_code;
    std::string want_enhanced;
  };
  const std::vector<Case> cases = {
      {ClassAction::kScore, std::nullopt, "", ""},
      {ClassAction::kReject, Action::kReject, "550", "5.7.1"},
      {ClassAction::kTempfail, Action::kTempfail, "451", "4.7.1"},
      {ClassAction::kQuarantine, Action::kQuarantine, "", ""},
  };
  for (const Case& c : cases) {
    std::optional<ActionRequest> got = MakeActionRequest({c.action, "text"}, "BARE_LF_BODY");
    ASSERT_EQ(got.has_value(), c.want_action.has_value()) << ClassActionName(c.action);
    if (!got) continue;
    EXPECT_EQ(got->action, *c.want_action);
    EXPECT_EQ(got->smtp_code, c.want_code);
    EXPECT_EQ(got->enhanced_code, c.want_enhanced);
    EXPECT_EQ(got->text, "text");
    EXPECT_EQ(got->reason, "BARE_LF_BODY");
  }
}

}  // namespace
}  // namespace portcullis::bare_lf
