// Broken rule files are refused at load time with file:line, the rule's
// name and the reason, never at scan time.
#include "content_test_util.h"

namespace portcullis::content {
namespace {

struct ErrorCase {
  const char* label;
  const char* lua;
  const char* want;  // a substring of the joined errors
};

TEST(RuleErrorsTest, LoadErrorsNameFileLineAndRule) {
  const ErrorCase cases[] = {
      {"back-reference", "\n\nrule { name = \"BACKREF\", target = \"text\", pattern = [[(a)\\1]] }",
       "test.lua:3: rule BACKREF: pattern rejected by Hyperscan"},
      {"look-behind",
       "rule { name = \"OK\", target = \"text\", pattern = \"fine\" }\n"
       "rule { name = \"LOOKBEHIND\", target = \"text\", pattern = [[(?<!x)y]] }",
       "test.lua:2: rule LOOKBEHIND: pattern rejected by Hyperscan"},
      {"every bad pattern is named",
       "rule { name = \"BAD1\", target = \"text\", pattern = [[(a)\\1]] }\n"
       "rule { name = \"BAD2\", target = \"text\", pattern = [[(?<=x)y]] }",
       "test.lua:2: rule BAD2: pattern rejected"},
      {"unbalanced", "rule { name = \"PAREN\", target = \"url\", pattern = \"(abc\" }",
       "test.lua:1: rule PAREN: pattern rejected by Hyperscan"},
      {"matches empty", "rule { name = \"EMPTY\", target = \"text\", pattern = \"a*\" }",
       "rule EMPTY: pattern rejected by Hyperscan"},
      {"bad flag", "rule { name = \"F\", target = \"text\", pattern = \"x\", flags = \"ix\" }",
       "test.lua:1: rule F: unknown flag 'x'"},
      {"u on raw", "rule { name = \"F\", target = \"raw_body\", pattern = \"x\", flags = \"u\" }",
       "rule F: flag 'u' needs a decoded target"},
      {"unknown target", "rule { name = \"T\", target = \"bodyy\", pattern = \"x\" }",
       "test.lua:1: rule T: unknown target 'bodyy'"},
      {"empty header name", "rule { name = \"T\", target = \"header:\", pattern = \"x\" }",
       "unknown target 'header:'"},
      {"duplicate name",
       "rule { name = \"DUP\", target = \"text\", pattern = \"x\" }\n"
       "rule { name = \"DUP\", target = \"url\", pattern = \"y\" }",
       "test.lua:2: rule DUP: duplicate name (first defined at test.lua:1)"},
      {"meta shares a rule's name",
       "rule { name = \"DUP\", target = \"text\", pattern = \"x\" }\n"
       "meta { name = \"DUP\", expression = \"DUP\" }",
       "test.lua:2: rule DUP: duplicate name"},
      {"unknown meta reference",
       "rule { name = \"A\", target = \"text\", pattern = \"x\" }\n"
       "meta { name = \"M\", expression = \"A && NOPE\" }",
       "test.lua:2: rule M: unknown rule 'NOPE'"},
      {"meta cycle",
       "meta { name = \"M1\", expression = \"M2\" }\nmeta { name = \"M2\", expression = \"M1\" }",
       "meta cycle: M1 -> M2 -> M1"},
      {"meta self", "meta { name = \"M\", expression = \"M || M\" }", "meta cycle: M -> M"},
      {"bad expression", "meta { name = \"M\", expression = \"A &&\" }",
       "test.lua:1: rule M: bad expression"},
      {"bad name", "rule { name = \"lower\", target = \"text\", pattern = \"x\" }",
       "rule lower: name must be"},
      {"missing pattern", "rule { name = \"P\", target = \"text\" }",
       "rule P: 'pattern' is required"},
      {"unknown key", "rule { name = \"K\", target = \"text\", pattern = \"x\", scroe = 1 }",
       "rule K: unknown key 'scroe'"},
      {"bad action", "rule { name = \"A\", target = \"text\", pattern = \"x\", action = \"drop\" }",
       "rule A: action must be"},
      {"reply without action",
       "rule { name = \"A\", target = \"text\", pattern = \"x\", reply = \"no\" }",
       "rule A: 'reply' needs an 'action'"},
      {"score type", "rule { name = \"S\", target = \"text\", pattern = \"x\", score = \"high\" }",
       "rule S: 'score' must be a number"},
      {"not a table", "rule \"X\"", "rule expects a table"},
      {"lua syntax", "rule { name = ", "test.lua:1:"},
      {"lua runtime error", "\nerror('boom')", "test.lua:2: boom"},
      {"endless loop", "while true do end", "instruction limit exceeded"},
  };
  for (const ErrorCase& test : cases) {
    std::vector<std::string> errors;
    std::vector<std::string> warnings;
    auto set = RuleSet::Build({{"test.lua", test.lua}}, {}, &errors, &warnings);
    EXPECT_EQ(set, nullptr) << test.label;
    std::string all;
    for (const std::string& error : errors) all += error + "\n";
    EXPECT_NE(all.find(test.want), std::string::npos) << test.label << ": got\n"
                                                      << all << "want " << test.want;
  }
}

TEST(RuleErrorsTest, RuleFilesCanUseLuaToGenerateRules) {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  auto set = RuleSet::Build({{"gen.lua", R"(
    for i, word in ipairs({ "viagra", "cialis" }) do
      rule { name = "DRUG_" .. string.upper(word), target = "text", pattern = word, flags = "i", score = 1 }
    end)"}},
                            {}, &errors, &warnings);
  ASSERT_NE(set, nullptr) << (errors.empty() ? "" : errors[0]);
  ASSERT_EQ(set->rules().size(), 2u);
  EXPECT_EQ(set->rules()[1].name, "DRUG_CIALIS");
  EXPECT_EQ(set->rules()[1].line, 3);
}

}  // namespace
}  // namespace portcullis::content
