// `portcullis rules lint`: errors, findings and exit codes.
#include "rules_lint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace portcullis::content_check {
namespace {

namespace fs = std::filesystem;

struct LintCase {
  const char* label;
  const char* lua;
  std::vector<std::string> want;  // substrings, one per expected message, in order
};

TEST(RulesLintTest, Findings) {
  const LintCase cases[] = {
      {"clean",
       "rule { name = \"A\", target = \"text\", pattern = \"a\", score = 1 }\n"
       "rule { name = \"__B\", target = \"text\", pattern = \"b\" }\n"
       "meta { name = \"M\", expression = \"A && __B\", score = 1 }",
       {}},
      {"duplicate shape",
       "rule { name = \"A\", target = \"text\", pattern = \"a\", flags = \"i\", score = 1 }\n"
       "rule { name = \"B\", target = \"text\", pattern = \"a\", flags = \"i\", score = 2 }\n"
       "rule { name = \"C\", target = \"text\", pattern = \"a\", score = 2 }",
       {"lint.lua:2: rule B: same target, pattern and flags as A (lint.lua:1)"}},
      {"meta reads disabled rule",
       "rule { name = \"A\", target = \"text\", pattern = \"a\", enabled = false }\n"
       "meta { name = \"M\", expression = \"A\", score = 1 }",
       {"lint.lua:2: rule M: reads A, which is disabled"}},
      {"score 0 rule nobody reads",
       "rule { name = \"Z\", target = \"url\", pattern = \"z\" }",
       {"lint.lua:1: rule Z: score 0, no action and no meta reads it"}},
      {"score 0 rule with action is fine",
       "rule { name = \"Z\", target = \"url\", pattern = \"z\", action = \"reject\" }",
       {}},
      {"unused meta",
       "rule { name = \"A\", target = \"text\", pattern = \"a\", score = 1 }\n"
       "meta { name = \"M\", expression = \"A\" }",
       {"lint.lua:2: rule M: unused meta"}},
      {"errors are reported too",
       "rule { name = \"A\", target = \"text\", pattern = \"(a)\\\\1\", score = 1 }\n"
       "meta { name = \"M\", expression = \"X\", score = 1 }",
       {"lint.lua:2: rule M: unknown rule 'X'", "lint.lua:1: rule A: pattern rejected"}},
  };
  for (const LintCase& test : cases) {
    LintReport report = LintRules({{"lint.lua", test.lua}});
    std::vector<std::string> got = report.errors;
    got.insert(got.end(), report.findings.begin(), report.findings.end());
    ASSERT_EQ(got.size(), test.want.size())
        << test.label << ": first " << (got.empty() ? "" : got[0]);
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_NE(got[i].find(test.want[i]), std::string::npos)
          << test.label << ": got " << got[i] << " want " << test.want[i];
    }
  }
}

class RulesCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("portcullis-rules-lint-" + std::to_string(getpid()));
    fs::create_directories(dir_ / "rules.d");
    std::ofstream(dir_ / "rules.d/good.lua")
        << "rule { name = \"GOOD\", target = \"text\", pattern = \"good\", score = 1 }\n";
    std::ofstream(dir_ / "bad.lua")
        << "rule { name = \"BAD\", target = \"text\", pattern = \"(?<=x)y\", score = 1 }\n";
    std::ofstream(dir_ / "portcullis.lua")
        << "checks = { content = { rules = { \"rules.d/*.lua\" }, builtin_rules = false } }\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  int Run(std::vector<std::string> args, std::string* output) {
    FILE* out = std::tmpfile();
    FILE* err = std::tmpfile();
    int code = RunRulesCommand(args, out, err);
    output->clear();
    for (FILE* file : {out, err}) {
      std::rewind(file);
      char buffer[4096];
      size_t n;
      while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) output->append(buffer, n);
      std::fclose(file);
    }
    return code;
  }

  fs::path dir_;
};

TEST_F(RulesCommandTest, ExitCodes) {
  struct Case {
    const char* label;
    std::vector<std::string> args;
    int want_code;
    const char* want_output;
  } cases[] = {
      {"good file",
       {"lint", (dir_ / "rules.d/good.lua").string()},
       0,
       "1 rules, 0 metas: 0 errors"},
      {"bad file",
       {"lint", (dir_ / "bad.lua").string()},
       1,
       "bad.lua:1: rule BAD: pattern rejected"},
      {"config", {"lint", "-c", (dir_ / "portcullis.lua").string()}, 0, "1 files, 1 rules"},
      {"built-in rules are clean", {"lint"}, 0, "0 errors, 0 warnings"},
      {"missing file", {"lint", (dir_ / "none.lua").string()}, 1, "cannot read rule file"},
      {"no subcommand", {}, 2, "usage"},
      {"unknown subcommand", {"check"}, 2, "unknown subcommand"},
      {"unknown option", {"lint", "--frobnicate"}, 2, "usage"},
      {"both -c and files", {"lint", "-c", "x.lua", "y.lua"}, 2, "not both"},
  };
  for (const Case& test : cases) {
    std::string output;
    EXPECT_EQ(Run(test.args, &output), test.want_code) << test.label << ": " << output;
    EXPECT_NE(output.find(test.want_output), std::string::npos) << test.label << ": " << output;
  }
}

}  // namespace
}  // namespace portcullis::content_check
