// Each target gets what it should and nothing else; flags change matching
// the way rules/README.md says.
#include <functional>

#include "content_test_util.h"

namespace portcullis::content {
namespace {

using testing::BuildOrDie;
using testing::Join;
using testing::Names;

// One rule per target, all looking for "needle" (or a target-specific form).
constexpr char kTargetRules[] = R"lua(
rule { name = "SUBJ", target = "header:Subject", pattern = "needle", score = 1 }
rule { name = "HDRS", target = "headers", pattern = "^X-Mark: needle", flags = "m", score = 1 }
rule { name = "RAWH", target = "raw_headers", pattern = "=\\?utf-8\\?", flags = "i", score = 1 }
rule { name = "TEXT", target = "text", pattern = "needle", score = 1 }
rule { name = "RAWB", target = "raw_body", pattern = "bmVlZGxl", score = 1 }
rule { name = "URL", target = "url", pattern = "^https?://needle\\.example/", score = 1 }
rule { name = "ANAME", target = "attachment_name", pattern = "\\.exe$", flags = "i", score = 1 }
rule { name = "ATYPE", target = "attachment_type", pattern = "application/x-msdownload", whole = true, score = 1 }
)lua";

struct TargetCase {
  const char* label;
  std::function<void(Scanner&)> feed;
  const char* want;
};

TEST(RuleTargetsTest, EachTargetSeesOnlyItsInput) {
  auto set = BuildOrDie(kTargetRules);
  ASSERT_NE(set, nullptr);
  const TargetCase cases[] = {
      {"subject", [](Scanner& s) { s.DecodedHeader("Subject", "a needle here"); }, "SUBJ"},
      {"subject name case-insensitive", [](Scanner& s) { s.DecodedHeader("SUBJECT", "needle"); },
       "SUBJ"},
      {"other header is not Subject", [](Scanner& s) { s.DecodedHeader("X-Subject", "needle"); },
       ""},
      {"headers line",
       [](Scanner& s) {
         s.DecodedHeader("From", "a@example.org");
         s.DecodedHeader("X-Mark", "needle");
       },
       "HDRS"},
      {"raw headers see encoded words",
       [](Scanner& s) { s.RawHeader("Subject", "=?UTF-8?B?bmVlZGxl?="); }, "RAWH"},
      {"decoded headers do not feed raw_headers",
       [](Scanner& s) { s.DecodedHeader("Subject", "=?utf-8?"); }, ""},
      {"text", [](Scanner& s) { s.Text("some needle text", true); }, "TEXT"},
      {"raw body is undecoded", [](Scanner& s) { s.RawBody("bmVlZGxl\r\n"); }, "RAWB"},
      {"raw body does not feed text", [](Scanner& s) { s.RawBody("needle"); }, ""},
      {"text does not feed raw body", [](Scanner& s) { s.Text("bmVlZGxl", true); }, ""},
      {"url", [](Scanner& s) { s.Url("http://needle.example/x"); }, "URL"},
      {"url anchored per URL",
       [](Scanner& s) { s.Url("http://other.example/?http://needle.example/"); }, ""},
      {"attachment name", [](Scanner& s) { s.Attachment("invoice.PDF.exe", "application/pdf"); },
       "ANAME"},
      {"attachment type whole",
       [](Scanner& s) { s.Attachment("a.bin", "application/x-msdownload"); }, "ATYPE"},
      {"attachment type whole rejects longer",
       [](Scanner& s) { s.Attachment("a.bin", "application/x-msdownloadx"); }, ""},
      {"nothing", [](Scanner&) {}, ""},
  };
  for (const TargetCase& test : cases) {
    auto scanner = set->NewScanner();
    test.feed(*scanner);
    EXPECT_EQ(Join(Names(*set, scanner->Finish())), test.want) << test.label;
  }
}

struct FlagCase {
  const char* rule;  // the Lua rule on target text
  const char* text;
  bool want;
};

TEST(RuleTargetsTest, Flags) {
  const FlagCase cases[] = {
      {R"(pattern = "Wire Transfer")", "wire transfer", false},
      {R"(pattern = "Wire Transfer", flags = "i")", "wire TRANSFER", true},
      {R"(pattern = "a.b")", "a\nb", false},
      {R"(pattern = "a.b", flags = "s")", "a\nb", true},
      {R"(pattern = "^second")", "first\nsecond", false},
      {R"(pattern = "^second", flags = "m")", "first\nsecond", true},
      {R"(pattern = "first$", flags = "m")", "first\nsecond", true},
      {R"(pattern = "first$")", "first\nsecond", false},
      // u: . is one UTF-8 character, \w knows letters beyond ASCII.
      {R"(pattern = "^\\w{5}$", flags = "u")", "\xc3\xa9t\xc3\xa9s!", false},
      {R"(pattern = "^\\w{4}$", flags = "u")", "\xc3\xa9t\xc3\xa9s", true},
      {R"(pattern = "^.{4}$", flags = "u")", "\xc3\xa9t\xc3\xa9s", true},
      {R"(pattern = "^.{4}$")", "\xc3\xa9t\xc3\xa9s", false},
      {R"(pattern = "prize", whole = true)", "a prize", false},
      {R"(pattern = "a prize", whole = true)", "a prize", true},
      {R"(pattern = "(won|win)\\s+\\$\\d{1,3}(,\\d{3})+", flags = "i")", "You WON  $1,000,000",
       true},
  };
  for (const FlagCase& test : cases) {
    std::string lua =
        std::string("rule { name = \"R\", target = \"text\", score = 1, ") + test.rule + " }";
    auto set = BuildOrDie(lua);
    ASSERT_NE(set, nullptr) << test.rule;
    auto scanner = set->NewScanner();
    scanner->Text(test.text, true);
    EXPECT_EQ(scanner->Finish().size() == 1, test.want) << test.rule << " on " << test.text;
  }
}

TEST(RuleTargetsTest, DisabledRulesNeverReport) {
  auto set = BuildOrDie(R"(
    rule { name = "ON", target = "text", pattern = "x", score = 1 }
    rule { name = "OFF", target = "text", pattern = "x", score = 1, enabled = false })");
  ASSERT_NE(set, nullptr);
  auto scanner = set->NewScanner();
  scanner->Text("x", true);
  EXPECT_EQ(Join(Names(*set, scanner->Finish())), "ON");
  EXPECT_EQ(set->rules().size(), 2u);
  EXPECT_EQ(set->entries().size(), 1u);
}

TEST(RuleTargetsTest, TextPartsDoNotRunTogether) {
  auto set = BuildOrDie(R"(rule { name = "R", target = "text", pattern = "endstart", score = 1 })");
  ASSERT_NE(set, nullptr);
  auto scanner = set->NewScanner();
  scanner->Text("the end", true);
  scanner->Text("start of next", true);
  EXPECT_TRUE(scanner->Finish().empty());
}

TEST(RuleTargetsTest, MaxScanBytesBoundsTheText) {
  RuleSetOptions options;
  options.max_scan_bytes = 4096;
  auto set =
      BuildOrDie(R"(rule { name = "R", target = "text", pattern = "late", score = 1 })", options);
  ASSERT_NE(set, nullptr);
  auto scanner = set->NewScanner();
  scanner->Text(std::string(4096, 'x'), true);
  scanner->Text("late", false);
  EXPECT_TRUE(scanner->Finish().empty()) << "text beyond max_scan_bytes was scanned";
  auto early = set->NewScanner();
  early->Text(std::string(4000, 'x') + "late", true);
  EXPECT_EQ(early->Finish().size(), 1u);
}

}  // namespace
}  // namespace portcullis::content
