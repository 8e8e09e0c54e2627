// The compiled-database cache: a warm load compiles nothing, a corrupt file
// is rebuilt, different rules get different files, and an unusable cache
// directory only costs a compile.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "content_test_util.h"

namespace portcullis::content {
namespace {

namespace fs = std::filesystem;

constexpr char kRules[] = R"lua(
rule { name = "A", target = "text", pattern = "alpha", score = 1 }
rule { name = "B", target = "header:Subject", pattern = "beta", score = 1 }
)lua";

class RuleCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("portcullis-content-cache-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::shared_ptr<const RuleSet> Build(const std::string& lua, std::vector<std::string>* warnings) {
    RuleSetOptions options;
    options.cache_dir = dir_.string();
    std::vector<std::string> errors;
    auto set = RuleSet::Build({{"cache.lua", lua}}, options, &errors, warnings);
    EXPECT_TRUE(errors.empty()) << errors[0];
    return set;
  }

  std::vector<fs::path> CacheFiles() const {
    std::vector<fs::path> files;
    if (!fs::exists(dir_)) return files;
    for (const auto& entry : fs::directory_iterator(dir_)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
  }

  static bool Matches(const RuleSet& set, const std::string& text) {
    auto scanner = set.NewScanner();
    scanner->Text(text, true);
    return !scanner->Finish().empty();
  }

  fs::path dir_;
};

TEST_F(RuleCacheTest, WarmLoadDoesNotCompile) {
  std::vector<std::string> warnings;
  auto cold = Build(kRules, &warnings);
  ASSERT_NE(cold, nullptr);
  EXPECT_EQ(cold->stats().databases, 2);
  EXPECT_EQ(cold->stats().compiled, 2);
  EXPECT_EQ(cold->stats().cache_writes, 2);
  EXPECT_EQ(CacheFiles().size(), 2u);
  auto warm = Build(kRules, &warnings);
  ASSERT_NE(warm, nullptr);
  EXPECT_EQ(warm->stats().compiled, 0);
  EXPECT_EQ(warm->stats().loaded_from_cache, 2);
  EXPECT_TRUE(warnings.empty()) << warnings[0];
  EXPECT_TRUE(Matches(*warm, "alpha"));
  EXPECT_FALSE(Matches(*warm, "gamma"));
}

TEST_F(RuleCacheTest, CorruptFilesAreDetectedAndRebuilt) {
  std::vector<std::string> warnings;
  ASSERT_NE(Build(kRules, &warnings), nullptr);
  auto files = CacheFiles();
  ASSERT_EQ(files.size(), 2u);
  struct Damage {
    const char* label;
    std::function<void(const fs::path&)> apply;
  } damages[] = {
      {"flipped byte in the middle",
       [](const fs::path& path) {
         std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
         file.seekg(0, std::ios::end);
         auto size = static_cast<std::streamoff>(file.tellg());
         file.seekp(size / 2);
         char byte = 0;
         file.seekg(size / 2);
         file.read(&byte, 1);
         file.seekp(size / 2);
         byte = static_cast<char>(byte ^ 0x5a);
         file.write(&byte, 1);
       }},
      {"truncated", [](const fs::path& path) { fs::resize_file(path, fs::file_size(path) / 3); }},
      {"foreign header",
       [](const fs::path& path) { std::ofstream(path, std::ios::binary) << "not a database"; }},
  };
  for (const Damage& damage : damages) {
    for (const fs::path& file : CacheFiles()) damage.apply(file);
    warnings.clear();
    auto rebuilt = Build(kRules, &warnings);
    ASSERT_NE(rebuilt, nullptr) << damage.label;
    EXPECT_EQ(rebuilt->stats().compiled, 2) << damage.label;
    EXPECT_EQ(warnings.size(), 2u) << damage.label;
    EXPECT_TRUE(Matches(*rebuilt, "alpha")) << damage.label;
    // And the rebuilt files are good again.
    auto warm = Build(kRules, &warnings);
    EXPECT_EQ(warm->stats().loaded_from_cache, 2) << damage.label;
  }
}

TEST_F(RuleCacheTest, DifferentRulesGetDifferentKeys) {
  std::vector<std::string> warnings;
  ASSERT_NE(Build(kRules, &warnings), nullptr);
  auto before = CacheFiles();
  // Same text rule, different Subject rule: one new database.
  auto changed = Build(R"(
    rule { name = "A", target = "text", pattern = "alpha", score = 1 }
    rule { name = "B", target = "header:Subject", pattern = "beta", flags = "i", score = 1 })",
                       &warnings);
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ(changed->stats().compiled, 1);
  EXPECT_EQ(changed->stats().loaded_from_cache, 1);
  EXPECT_EQ(CacheFiles().size(), before.size() + 1);
}

TEST_F(RuleCacheTest, UnwritableCacheOnlyWarns) {
  // A regular file where the directory should be.
  fs::create_directories(dir_.parent_path());
  std::ofstream(dir_) << "in the way";
  std::vector<std::string> warnings;
  auto set = Build(kRules, &warnings);
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->stats().compiled, 2);
  ASSERT_EQ(warnings.size(), 1u) << "want one warning, then silence";
  EXPECT_NE(warnings[0].find("compiling in memory"), std::string::npos) << warnings[0];
  EXPECT_TRUE(Matches(*set, "alpha"));
  fs::remove(dir_);
}

}  // namespace
}  // namespace portcullis::content
