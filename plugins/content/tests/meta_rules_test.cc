// Meta expressions: and/or/not, parentheses, counts and sums, metas over
// metas, and disabled rules reading as false.
#include "content/meta_expression.h"
#include "content_test_util.h"

namespace portcullis::content {
namespace {

using testing::BuildOrDie;

// Rules A..D fire on the letters "a".."d" in the text.
constexpr char kBase[] = R"lua(
rule { name = "A", target = "text", pattern = "a" }
rule { name = "B", target = "text", pattern = "b" }
rule { name = "C", target = "text", pattern = "c" }
rule { name = "D", target = "text", pattern = "d", enabled = false }
)lua";

struct MetaCase {
  const char* expression;
  const char* text;
  bool want;
};

TEST(MetaRulesTest, Expressions) {
  const MetaCase cases[] = {
      {"A && B", "ab", true},
      {"A && B", "a", false},
      {"A and B", "ab", true},
      {"A || B", "b", true},
      {"A or B", "", false},
      {"!A", "", true},
      {"not A", "a", false},
      {"A && !B", "a", true},
      {"A && not B", "ab", false},
      {"(A || B) && C", "bc", true},
      {"(A || B) && C", "ab", false},
      {"A || B && C", "a", true},  // && binds tighter
      {"count(A, B, C) >= 2", "ac", true},
      {"count(A, B, C) >= 2", "c", false},
      {"count(A, B, C) == 3", "abc", true},
      {"count(A,B,C) < 1", "", true},
      {"A + B + C > 1", "bc", true},
      {"A + B + C > 1", "b", false},
      {"count(A, B) != 1", "ab", true},
      {"D", "d", false},  // disabled: always false
      {"A && !D", "ad", true},
      {"count(A, D) >= 2", "ad", false},
  };
  for (const MetaCase& test : cases) {
    std::string lua = std::string(kBase) + "meta { name = \"M\", score = 1, expression = \"" +
                      test.expression + "\" }\n";
    auto set = BuildOrDie(lua);
    ASSERT_NE(set, nullptr) << test.expression;
    auto scanner = set->NewScanner();
    scanner->Text(test.text, true);
    auto names = testing::Names(*set, scanner->Finish());
    bool fired = std::find(names.begin(), names.end(), "M") != names.end();
    EXPECT_EQ(fired, test.want) << "got " << fired << " for '" << test.expression << "' on '"
                                << test.text << "'";
  }
}

TEST(MetaRulesTest, MetasReadMetasInAnyOrder) {
  // TOP is written before the meta it reads.
  auto set = BuildOrDie(std::string(kBase) + R"(
    meta { name = "TOP", expression = "INNER && C", score = 2 }
    meta { name = "INNER", expression = "A || B", score = 0 })");
  ASSERT_NE(set, nullptr);
  auto scanner = set->NewScanner();
  scanner->Text("bc", true);
  EXPECT_EQ(testing::Join(testing::Names(*set, scanner->Finish())), "B,C,TOP,INNER");
}

TEST(MetaRulesTest, MetasAcrossTargets) {
  auto set = BuildOrDie(R"(
    rule { name = "IPURL", target = "url", pattern = "^https?://\\d+\\.\\d+\\.\\d+\\.\\d+[:/]" }
    rule { name = "VERIFY", target = "text", pattern = "verify your account", flags = "i" }
    meta { name = "PHISH", expression = "IPURL && VERIFY", score = 4 })");
  ASSERT_NE(set, nullptr);
  auto scanner = set->NewScanner();
  scanner->Text("Please VERIFY your account", true);
  scanner->Url("http://192.0.2.7/login");
  EXPECT_EQ(testing::Join(testing::Names(*set, scanner->Finish())), "IPURL,VERIFY,PHISH");
}

struct ParseCase {
  const char* expression;
  bool ok;
};

TEST(MetaExpressionTest, Parse) {
  const ParseCase cases[] = {
      {"A", true},         {"A && (B || C)", true}, {"count(A) > 0", true}, {"", false},
      {"A &&", false},     {"(A", false},           {"A B", false},         {"a_lower", false},
      {"count()", false},  {"count(A", false},      {"and", false},         {"A & B", false},
      {"not not A", true}, {"A >= 2 + B", true},    {"ORDER", true},
  };
  for (const ParseCase& test : cases) {
    std::string error;
    auto parsed = MetaExpression::Parse(test.expression, &error);
    EXPECT_EQ(parsed.has_value(), test.ok) << "'" << test.expression << "': " << error;
  }
  std::string deep(100, '(');
  std::string error;
  EXPECT_FALSE(MetaExpression::Parse(deep + "A" + std::string(100, ')'), &error));
  EXPECT_NE(error.find("nested"), std::string::npos) << error;
}

}  // namespace
}  // namespace portcullis::content
