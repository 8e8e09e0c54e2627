// The check as the engine sees it: options, symbols and actions from a rule
// set, the MIME sink path, and a reload with a broken rule file.
#include "content_check.h"

#include <prometheus/registry.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config_tree.h"
#include "content_test_util.h"
#include "message_feeder.h"

namespace portcullis::content_check {
namespace {

namespace fs = std::filesystem;
using portcullis::testing::Bool;
using portcullis::testing::List;
using portcullis::testing::Str;
using portcullis::testing::Table;

class ContentCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("portcullis-content-check-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "rules.d");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  // Builds the check from checks.content = { rules = {...}, builtin_rules = builtin }.
  std::unique_ptr<Check> Make(std::vector<std::string> rules, bool builtin,
                              std::vector<std::string>* errors_out = nullptr,
                              prometheus::Registry* metrics = nullptr) {
    ConfigValue section = Table({{"rules", List(std::move(rules), 7)},
                                 {"builtin_rules", Bool(builtin, 8)},
                                 {"cache_dir", Str("cache", 9)}},
                                6);
    ConfigErrors errors;
    CheckContext context;
    context.config_dir = dir_.string();
    context.state_dir = dir_.string();
    context.metrics = metrics;
    std::unique_ptr<Check> check;
    {
      ConfigReader reader(&section, "checks.content", "portcullis.lua", &errors);
      check = MakeContentCheck(reader, context);
    }
    if (errors_out) *errors_out = errors.all();
    return check;
  }

  fs::path dir_;
};

constexpr char kLocalRules[] = R"lua(
rule { name = "LOCAL_URGENT", target = "header:Subject", pattern = "urgent", flags = "i",
       score = 2.5, description = "urgent subject" }
rule { name = "__LOCAL_PAY", target = "text", pattern = "wire\\s+transfer", flags = "i" }
meta { name = "LOCAL_URGENT_PAY", expression = "LOCAL_URGENT && __LOCAL_PAY", score = 3 }
rule { name = "LOCAL_EXE", target = "attachment_name", pattern = "\\.exe$", flags = "i",
       score = 5, action = "reject", reply = "executables are not accepted here" }
rule { name = "LOCAL_HOLD", target = "text", pattern = "hold me", action = "quarantine" }
rule { name = "LOCAL_IP_URL", target = "url", pattern = "^https?://192\\.0\\.2\\.1/", score = 1 }
rule { name = "LOCAL_ZERO", target = "text", pattern = "informational" }
)lua";

std::string Message(const std::string& subject, const std::string& body,
                    const std::string& extra_headers = "") {
  return "From: a@example.org\nTo: b@example.net\nSubject: " + subject + "\nMIME-Version: 1.0\n" +
         extra_headers + "\n" + body;
}

struct ResultCase {
  const char* label;
  std::string message;
  const char* want_symbols;  // "NAME=score,..."
  CheckStatus want_status;
  Action want_action;
  const char* want_text;
};

std::string Symbols(const CheckResult& result) {
  std::string out;
  for (const Symbol& symbol : result.symbols) {
    std::ostringstream score;
    score << symbol.score;
    out += (out.empty() ? "" : ",") + symbol.name + "=" + score.str();
  }
  return out;
}

TEST_F(ContentCheckTest, ResultsFromMessages) {
  Write("rules.d/local.lua", kLocalRules);
  auto check = Make({"rules.d/*.lua"}, false);
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->stages(), kStageHeader | kStageBody | kStageMime);
  const std::string exe_attachment = "Content-Type: multipart/mixed; boundary=\"b1\"\n",
                    exe_body =
                        "--b1\nContent-Type: text/plain\n\nsee attached\n--b1\n"
                        "Content-Type: application/octet-stream\n"
                        "Content-Disposition: attachment; filename=\"invoice.pdf.EXE\"\n"
                        "Content-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA\n--b1--\n";
  const ResultCase cases[] = {
      {"clean", Message("hello", "nothing to see\n"), "", CheckStatus::kPass, Action::kNone, ""},
      {"subject", Message("URGENT please", "hi\n"), "LOCAL_URGENT=2.5", CheckStatus::kFail,
       Action::kNone, ""},
      // "__" rules feed metas but are not reported.
      {"meta", Message("Urgent", "please make a wire  transfer\n"),
       "LOCAL_URGENT=2.5,LOCAL_URGENT_PAY=3", CheckStatus::kFail, Action::kNone, ""},
      {"encoded subject decoded", Message("=?UTF-8?B?VXJnZW50IQ==?=", "x\n"), "LOCAL_URGENT=2.5",
       CheckStatus::kFail, Action::kNone, ""},
      {"base64 text decoded",
       Message("x", "d2lyZSB0cmFuc2Zlcg0KaG9sZCBtZQ==\n", "Content-Transfer-Encoding: base64\n"),
       "LOCAL_HOLD=0", CheckStatus::kFail, Action::kQuarantine, ""},
      {"reject action", Message("docs", exe_body, exe_attachment), "LOCAL_EXE=5",
       CheckStatus::kFail, Action::kReject, "executables are not accepted here"},
      {"decimal IP URL canonical", Message("x", "go to http://3221225985/now\n"), "LOCAL_IP_URL=1",
       CheckStatus::kFail, Action::kNone, ""},
      {"score 0 alone is reported but not a failure", Message("x", "informational\n"),
       "LOCAL_ZERO=0", CheckStatus::kPass, Action::kNone, ""},
  };
  for (const ResultCase& test : cases) {
    auto instance = check->NewInstance();
    CheckResult result = content::testing::RunMessage(*instance, test.message, 7);
    EXPECT_EQ(Symbols(result), test.want_symbols) << test.label;
    EXPECT_EQ(result.status, test.want_status) << test.label;
    EXPECT_EQ(result.request ? result.request->action : Action::kNone, test.want_action)
        << test.label;
    if (result.request && *test.want_text) {
      EXPECT_EQ(result.request->text, test.want_text) << test.label;
      EXPECT_EQ(result.request->smtp_code, "550") << test.label;
      EXPECT_EQ(result.request->reason, "LOCAL_EXE") << test.label;
    }
  }
}

TEST_F(ContentCheckTest, BuiltinRulesLoadByDefault) {
  auto check = Make({}, true);
  ASSERT_NE(check, nullptr);
  const auto& rules = static_cast<const ContentCheck&>(*check).rules();
  EXPECT_GE(rules.rules().size(), 25u);
  for (const content::Rule& rule : rules.rules()) {
    EXPECT_EQ(rule.file.compare(0, 8, "builtin:"), 0) << rule.file;
  }
  auto without = Make({}, false);
  ASSERT_NE(without, nullptr);
  EXPECT_TRUE(static_cast<const ContentCheck&>(*without).rules().entries().empty());
}

TEST_F(ContentCheckTest, BadOptionsAndFilesAreConfigErrors) {
  struct Case {
    const char* label;
    std::vector<std::string> rules;
    const char* file_text;
    const char* want;
  } cases[] = {
      {"missing file", {"nope.lua"}, nullptr, "portcullis.lua:7: checks.content.rules: rule file"},
      {"glob matching nothing", {"none.d/*.lua"}, nullptr, "no rule file matches"},
      {"broken rule",
       {"rules.d/bad.lua"},
       "\nrule { name = \"B\", target = \"text\", pattern = \"(?<=a)b\" }",
       "rules.d/bad.lua:2: rule B: pattern rejected by Hyperscan"},
  };
  for (const Case& test : cases) {
    if (test.file_text) Write("rules.d/bad.lua", test.file_text);
    std::vector<std::string> errors;
    EXPECT_EQ(Make(test.rules, false, &errors), nullptr) << test.label;
    std::string all;
    for (const std::string& error : errors) all += error + "\n";
    EXPECT_NE(all.find(test.want), std::string::npos) << test.label << ": got " << all;
  }
}

TEST_F(ContentCheckTest, ReloadWithBrokenFileKeepsOldRules) {
  Write("rules.d/local.lua", kLocalRules);
  auto old_check = Make({"rules.d/local.lua"}, false);
  ASSERT_NE(old_check, nullptr);
  // The operator breaks the file; the new snapshot's check cannot be built.
  Write("rules.d/local.lua",
        std::string(kLocalRules) +
            "rule { name = \"LOCAL_URGENT\", target = \"text\", pattern = \"x\" }\n");
  std::vector<std::string> errors;
  EXPECT_EQ(Make({"rules.d/local.lua"}, false, &errors), nullptr);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].find("duplicate name"), std::string::npos) << errors[0];
  // The old check (held by the old snapshot) still matches.
  auto instance = old_check->NewInstance();
  CheckResult result = content::testing::RunMessage(*instance, Message("urgent", "x\n"));
  EXPECT_EQ(Symbols(result), "LOCAL_URGENT=2.5");
}

TEST_F(ContentCheckTest, MetricsCountHitsAndScans) {
  Write("rules.d/local.lua", kLocalRules);
  prometheus::Registry registry;
  auto check = Make({"rules.d/local.lua"}, false, nullptr, &registry);
  ASSERT_NE(check, nullptr);
  for (int i = 0; i < 3; ++i) {
    auto instance = check->NewInstance();
    content::testing::RunMessage(*instance, Message(i < 2 ? "urgent" : "calm", "x\n"));
  }
  double urgent_hits = -1;
  uint64_t scans = 0;
  for (const auto& family : registry.Collect()) {
    for (const auto& metric : family.metric) {
      if (family.name == "portcullis_content_rule_hits_total" && !metric.label.empty() &&
          metric.label[0].value == "LOCAL_URGENT") {
        urgent_hits = metric.counter.value;
      }
      if (family.name == "portcullis_content_scan_seconds") {
        scans = metric.histogram.sample_count;
      }
    }
  }
  EXPECT_EQ(urgent_hits, 2);
  EXPECT_EQ(scans, 3u);
}

TEST_F(ContentCheckTest, CacheDirIsUnderStateDir) {
  Write("rules.d/local.lua", kLocalRules);
  ASSERT_NE(Make({"rules.d/local.lua"}, false), nullptr);
  EXPECT_TRUE(fs::is_directory(dir_ / "cache"));
  EXPECT_FALSE(fs::is_empty(dir_ / "cache"));
}

}  // namespace
}  // namespace portcullis::content_check
