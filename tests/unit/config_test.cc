// Config loading: defaults, and every error names file:line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_config.h"

namespace portcullis {
namespace {

using ::testing::HasSubstr;
using testing::SnapshotFrom;
using testing::TempDir;

TEST(ConfigTest, EmptyConfigGivesDocumentedDefaults) {
  TempDir dir;
  auto snapshot = SnapshotFrom(dir, "");
  ASSERT_TRUE(snapshot);
  const EngineConfig& config = snapshot->config;
  EXPECT_EQ(config.listener.spec, "inet:11332@127.0.0.1");
  EXPECT_EQ(config.metrics_listen, "127.0.0.1:9465");
  EXPECT_EQ(config.policy.fallback, Action::kTempfail);
  EXPECT_EQ(config.limits.max_recipients, 1000);
  EXPECT_EQ(config.headers.score_header, "X-Portcullis-Score");
  EXPECT_TRUE(snapshot->checks.empty());
}

TEST(ConfigTest, BuiltInConfigLoads) {
  ConfigErrors errors;
  auto snapshot = BuildSnapshot("", &errors);
  ASSERT_TRUE(snapshot) << (errors.empty() ? "" : errors.all().front());
  EXPECT_EQ(snapshot->config.listener.spec, "inet:11332@127.0.0.1");
}

struct ErrorCase {
  const char* name;
  const char* config;
  const char* want;  // substring of the error, including file:line
};

class ConfigErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ConfigErrorTest, ReportsFileAndLine) {
  TempDir dir;
  std::string errors;
  auto snapshot = SnapshotFrom(dir, GetParam().config, &errors);
  EXPECT_FALSE(snapshot);
  EXPECT_THAT(errors, HasSubstr(GetParam().want)) << errors;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigErrorTest,
    ::testing::Values(
        ErrorCase{"unknown_top_level", "listen = \"inet:1@127.0.0.1\"\nlisen = 3\n",
                  "portcullis.lua:2: unknown option 'lisen'"},
        ErrorCase{"wrong_type", "\n\nstate_dir = 5\n",
                  "portcullis.lua:3: state_dir: expected string, got number"},
        ErrorCase{"nested_unknown", "limits = {\n  max_headers = 100,\n  max_hedaers = 5,\n}\n",
                  "portcullis.lua:3: unknown option 'limits.max_hedaers'"},
        ErrorCase{"out_of_range", "limits = {\n  max_recipients = 5,\n}\n",
                  "portcullis.lua:2: limits.max_recipients: must be between 100"},
        ErrorCase{"bad_choice", "policy = {\n  fallback = \"maybe\",\n}\n",
                  "portcullis.lua:2: policy.fallback: 'maybe' is not one of"},
        ErrorCase{"syntax_error", "listen = \n = 3\n", "portcullis.lua:2:"},
        ErrorCase{"runtime_error", "x = nil\nlisten = x.y\n", "portcullis.lua:2:"},
        ErrorCase{"sandbox_no_io", "listen = io.open('/etc/passwd')\n", "portcullis.lua:1:"},
        ErrorCase{"unknown_check", "checks = {\n  nosuch = {},\n}\n",
                  "portcullis.lua:2: unknown check 'nosuch'"},
        ErrorCase{"bad_listen", "listen = \"tcp:25\"\n",
                  "portcullis.lua:1: listen: must start with inet:"},
        ErrorCase{"bad_authserv_id", "authserv_id = \"mx example\"\n",
                  "portcullis.lua:1: authserv_id: must be a single token"},
        ErrorCase{"missing_policy_file", "policy = { file = \"nope.lua\" }\n",
                  "nope.lua:0: cannot open"},
        ErrorCase{"threshold_not_number", "policy = {\n thresholds = {\n  reject = \"x\" } }\n",
                  "portcullis.lua:3: policy.thresholds.reject: expected number"}),
    [](const auto& test_info) { return test_info.param.name; });

TEST(ConfigTest, PolicySyntaxErrorNamesPolicyFile) {
  TempDir dir;
  dir.Write("policy.lua", "return function(r)\n  return {\nend\n");
  std::string errors;
  EXPECT_FALSE(SnapshotFrom(dir, "policy = { file = \"policy.lua\" }\n", &errors));
  EXPECT_THAT(errors, HasSubstr("policy.lua:3:"));
}

TEST(ConfigTest, PolicyMustReturnAFunction) {
  TempDir dir;
  dir.Write("policy.lua", "return 42\n");
  std::string errors;
  EXPECT_FALSE(SnapshotFrom(dir, "policy = { file = \"policy.lua\" }\n", &errors));
  EXPECT_THAT(errors, HasSubstr("must return a function"));
}

TEST(ConfigTest, EveryErrorIsReportedNotJustTheFirst) {
  TempDir dir;
  std::string errors;
  EXPECT_FALSE(SnapshotFrom(dir, "a = 1\nb = 2\nstate_dir = true\n", &errors));
  EXPECT_THAT(errors, HasSubstr(":1: unknown option 'a'"));
  EXPECT_THAT(errors, HasSubstr(":2: unknown option 'b'"));
  EXPECT_THAT(errors, HasSubstr(":3: state_dir: expected string"));
}

}  // namespace
}  // namespace portcullis
