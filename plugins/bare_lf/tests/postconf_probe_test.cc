// The postconf probe: parsing its answers, the advice given, and that a
// hanging or failing postconf never blocks start-up. Fake postconf programs
// are shell scripts written to a temporary directory.
#include "postconf_probe.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace portcullis::bare_lf {
namespace {

using Outcome = PostconfAnswer::Outcome;

class BareLfFakePostconf : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/bare_lf_postconf_XXXXXX";
    ASSERT_NE(mkdtemp(templ), nullptr);
    dir_ = templ;
  }
  void TearDown() override {
    for (const std::string& file : files_) unlink(file.c_str());
    rmdir(dir_.c_str());
  }
  std::string Script(const std::string& name, const std::string& body) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), 0700);
    files_.push_back(path);
    return path;
  }

  std::string dir_;
  std::vector<std::string> files_;
};

TEST_F(BareLfFakePostconf, Answers) {
  struct Case {
    std::string what;
    std::string script;
    Outcome want_outcome;
    std::string want_value;
  };
  const std::vector<Case> cases = {
      {"no", "echo no", Outcome::kValue, "no"},
      {"normalize", "printf 'normalize\\n'", Outcome::kValue, "normalize"},
      {"stderr noise",
       "echo 'postconf: warning: /etc/postfix/main.cf: unused parameter' >&2; "
       "echo yes",
       Outcome::kValue, "yes"},
      {"unknown parameter",
       "echo 'postconf: warning: smtpd_forbid_bare_newline: unknown parameter' >&2",
       Outcome::kUnknownParameter, ""},
      {"fails", "echo 'postconf: fatal: open /etc/postfix/main.cf' >&2; exit 1", Outcome::kFailed,
       ""},
      {"no output", "exit 0", Outcome::kFailed, ""},
      {"flood is bounded", "head -c 100000 /dev/zero | tr '\\0' a", Outcome::kValue, ""},
  };
  int n = 0;
  for (const Case& c : cases) {
    std::string program = Script("postconf" + std::to_string(n++), c.script);
    PostconfAnswer got = QueryPostconf(program, "smtpd_forbid_bare_newline");
    EXPECT_EQ(got.outcome, c.want_outcome) << c.what << ": " << got.error;
    if (c.what == "flood is bounded") {
      EXPECT_GE(got.value.size(), kMaxPostconfOutput) << c.what;
      EXPECT_LE(got.value.size(), kMaxPostconfOutput + 512) << c.what;
      EXPECT_EQ(got.value.find_first_not_of('a'), std::string::npos) << c.what;
    } else {
      EXPECT_EQ(got.value, c.want_value) << c.what;
    }
  }
}

TEST_F(BareLfFakePostconf, PassesParameter) {
  std::string program = Script("postconf", "echo \"$1 $2\"");
  PostconfAnswer got = QueryPostconf(program, "smtpd_forbid_bare_newline");
  EXPECT_EQ(got.value, "-h smtpd_forbid_bare_newline");
}

TEST_F(BareLfFakePostconf, HangIsKilled) {
  std::string program = Script("postconf", "exec sleep 30");
  const auto start = std::chrono::steady_clock::now();
  PostconfAnswer got = QueryPostconf(program, "x", std::chrono::milliseconds(200));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got.outcome, Outcome::kFailed);
  EXPECT_NE(got.error.find("did not answer within 200 ms"), std::string::npos) << got.error;
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(BareLfPostconf, MissingProgram) {
  PostconfAnswer got = QueryPostconf("/nonexistent/postconf", "x");
  EXPECT_EQ(got.outcome, Outcome::kFailed);
  EXPECT_NE(got.error.find("cannot run"), std::string::npos) << got.error;
}

TEST(BareLfPostconf, Advice) {
  struct Case {
    PostconfAnswer answer;
    std::string want_substring;  // empty: no advice
  };
  const std::vector<Case> cases = {
      {{Outcome::kValue, "yes", ""}, ""},
      {{Outcome::kValue, "normalize", ""}, ""},
      {{Outcome::kValue, "reject", ""}, ""},
      {{Outcome::kValue, "no", ""}, "smtpd_forbid_bare_newline = no"},
      {{Outcome::kValue, "maybe", ""}, "unrecognised smtpd_forbid_bare_newline = 'maybe'"},
      {{Outcome::kUnknownParameter, "", ""}, "upgrade Postfix"},
      {{Outcome::kFailed, "", "timed out"}, "timed out"},
  };
  for (const Case& c : cases) {
    std::optional<std::string> got = BareNewlineAdvice(c.answer);
    if (c.want_substring.empty()) {
      EXPECT_FALSE(got) << c.answer.value << ": " << got.value_or("");
      continue;
    }
    ASSERT_TRUE(got) << c.want_substring;
    EXPECT_NE(got->find(c.want_substring), std::string::npos) << *got;
    if (c.answer.outcome != Outcome::kFailed) {
      EXPECT_NE(got->find("smtpd_forbid_bare_newline = normalize"), std::string::npos) << *got;
      EXPECT_NE(got->find("smtpd_forbid_bare_newline_exclusions = $mynetworks"), std::string::npos)
          << *got;
    }
  }
}

TEST(BareLfPostconf, RealPostfixIfInstalled) {
  std::optional<std::string> program = FindPostconf();
  if (!program) GTEST_SKIP() << "no postconf on this machine";
  PostconfAnswer got = QueryPostconf(*program, "smtpd_forbid_bare_newline");
  EXPECT_NE(got.outcome, Outcome::kFailed) << got.error;
}

}  // namespace
}  // namespace portcullis::bare_lf
