#include "config/check_order.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/snapshot.h"

namespace portcullis {
namespace {

using ::testing::ElementsAreArray;

class NeedsCheck : public Check {
 public:
  explicit NeedsCheck(std::vector<std::string> needs) : needs_(std::move(needs)) {}
  StageMask stages() const override { return 0; }
  std::unique_ptr<CheckInstance> NewInstance() const override { return nullptr; }
  std::vector<std::string> after() const override { return needs_; }

 private:
  std::vector<std::string> needs_;
};

std::vector<EnabledCheck> Checks(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& spec) {
  std::vector<EnabledCheck> checks;
  for (const auto& [name, needs] : spec) {
    checks.push_back({name, std::make_unique<NeedsCheck>(needs), 0, {}});
  }
  return checks;
}

std::vector<std::string> Names(const std::vector<EnabledCheck>& checks) {
  std::vector<std::string> names;
  for (const EnabledCheck& check : checks) names.push_back(check.name);
  return names;
}

TEST(CheckOrder, DependenciesFinishFirstOtherwiseConfigOrder) {
  struct Case {
    const char* what;
    std::vector<std::pair<std::string, std::vector<std::string>>> spec;
    std::vector<std::string> want;
  } cases[] = {
      {"no dependencies keep their order", {{"b", {}}, {"a", {}}}, {"b", "a"}},
      {"dmarc after spf and dkim",
       {{"dkim", {}}, {"dmarc", {"spf", "dkim"}}, {"lists", {}}, {"spf", {}}},
       {"dkim", "lists", "spf", "dmarc"}},
      {"a dependency that is not enabled is ignored", {{"dmarc", {"dkim"}}, {"spf", {}}},
       {"dmarc", "spf"}},
      {"chains", {{"c", {"b"}}, {"b", {"a"}}, {"a", {}}}, {"a", "b", "c"}},
  };
  for (const Case& c : cases) {
    std::vector<EnabledCheck> checks = Checks(c.spec);
    EXPECT_EQ(OrderChecksByDependencies(&checks), "") << c.what;
    EXPECT_THAT(Names(checks), ElementsAreArray(c.want)) << c.what;
  }
}

TEST(CheckOrder, CycleIsAnErrorNamingTheChecks) {
  std::vector<EnabledCheck> checks = Checks({{"a", {"b"}}, {"b", {"a"}}, {"c", {}}});
  EXPECT_EQ(OrderChecksByDependencies(&checks), "checks depend on each other in a cycle: a, b");
  EXPECT_THAT(Names(checks), ElementsAreArray({"a", "b", "c"}));
}

}  // namespace
}  // namespace portcullis
