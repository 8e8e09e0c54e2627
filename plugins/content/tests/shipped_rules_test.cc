// The shipped rules (rules/*.lua): every rule has a message proving it fires
// (tests/data/rules/<NAME>.fire.eml), and the clean messages
// (tests/data/rules/clean-*.eml) fire nothing with a positive score. Runs
// the real MIME parser, so what the rules see is what the daemon sees.
#include <filesystem>
#include <set>

#include "content_check.h"
#include "content_options.h"
#include "content_test_util.h"
#include "message_feeder.h"

namespace portcullis::content_check {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<const content::RuleSet> ShippedRules() {
  std::vector<content::RuleSource> sources;
  std::vector<std::string> errors;
  LoadRuleSources({}, true, &sources, &errors);
  std::vector<std::string> warnings;
  auto set = content::RuleSet::Build(sources, {}, &errors, &warnings);
  for (const std::string& error : errors) ADD_FAILURE() << error;
  return set;
}

std::set<std::string> Fired(const std::shared_ptr<const content::RuleSet>& set,
                            const std::string& path, size_t chunk, bool positive_only) {
  ContentCheck check(set);
  auto instance = check.NewInstance();
  CheckResult result =
      content::testing::RunMessage(*instance, content::testing::ReadFile(path), chunk);
  std::set<std::string> names;
  for (const Symbol& symbol : result.symbols) {
    if (!positive_only || symbol.score > 0) names.insert(symbol.name);
  }
  return names;
}

TEST(ShippedRulesTest, BuiltinFilesMatchTheRulesDirectory) {
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(PORTCULLIS_RULES_DIR)) {
    if (entry.path().extension() == ".lua") ++files;
  }
  std::vector<content::RuleSource> sources;
  std::vector<std::string> errors;
  LoadRuleSources({}, true, &sources, &errors);
  EXPECT_EQ(sources.size(), files) << "re-run cmake after adding a rule file";
}

TEST(ShippedRulesTest, EveryRuleFiresOnItsMessage) {
  auto set = ShippedRules();
  ASSERT_NE(set, nullptr);
  size_t checked = 0;
  for (const content::Entry& entry : set->entries()) {
    if (entry.name.compare(0, 2, "__") == 0) continue;
    ++checked;
    std::string path = std::string(PORTCULLIS_RULES_TEST_DATA) + "/" + entry.name + ".fire.eml";
    if (!fs::exists(path)) {
      ADD_FAILURE() << entry.name << ": no test message " << path;
      continue;
    }
    // Whole-body and small chunks: the rules must not depend on chunking.
    for (size_t chunk : {size_t{65536}, size_t{13}}) {
      auto fired = Fired(set, path, chunk, false);
      EXPECT_TRUE(fired.count(entry.name))
          << entry.name << " did not fire on " << path << " (chunk " << chunk << ")";
    }
  }
  EXPECT_GE(checked, 25u) << "the starter set has 25-40 rules";
}

TEST(ShippedRulesTest, CleanMessagesFireNothingPositive) {
  auto set = ShippedRules();
  ASSERT_NE(set, nullptr);
  int clean = 0;
  for (const auto& entry : fs::directory_iterator(PORTCULLIS_RULES_TEST_DATA)) {
    std::string name = entry.path().filename().string();
    if (name.compare(0, 6, "clean-") != 0) continue;
    ++clean;
    auto fired = Fired(set, entry.path().string(), 4096, true);
    std::string all;
    for (const std::string& rule : fired) all += rule + " ";
    EXPECT_TRUE(fired.empty()) << name << " fired: " << all;
  }
  EXPECT_GE(clean, 3);
}

}  // namespace
}  // namespace portcullis::content_check
