#include "iprev_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portcullis::iprev {
namespace {

ConfigValue Num(double number, int line) {
  ConfigValue value;
  value.type = ConfigValue::Type::kNumber;
  value.number = number;
  value.line = line;
  return value;
}

ConfigValue Table(std::vector<std::pair<std::string, ConfigValue>> fields, int line) {
  ConfigValue value;
  value.type = ConfigValue::Type::kTable;
  value.line = line;
  for (auto& [key, field] : fields) value.fields[key] = std::move(field);
  return value;
}

std::string ErrorsOf(const ConfigValue& tree, bool* ok) {
  ConfigErrors errors;
  {
    ConfigReader reader(&tree, "checks.iprev", "portcullis.lua", &errors);
    *ok = ReadIprevOptions(reader).has_value();
  }
  std::string all;
  for (const std::string& error : errors.all()) all += error + "\n";
  return all;
}

TEST(IprevOptions, DefaultsAreDocumented) {
  IprevOptions options;
  EXPECT_EQ(options.score(IprevResult::kPass), 0);
  EXPECT_EQ(options.score(IprevResult::kFail), 1);
  EXPECT_EQ(options.score(IprevResult::kTempError), 0);
  EXPECT_EQ(options.score(IprevResult::kPermError), 1);
  EXPECT_EQ(options.score(IprevResult::kNoPtr), 2);
  EXPECT_EQ(options.timeout, std::chrono::milliseconds(5000));
}

TEST(IprevOptions, ErrorsTable) {
  struct Case {
    const char* name;
    ConfigValue tree;
    std::string want;
  } cases[] = {
      {"unknown symbol", Table({{"scores", Table({{"IPREV_NONE", Num(1, 4)}}, 4)}}, 3),
       "portcullis.lua:4: checks.iprev.scores: unknown symbol 'IPREV_NONE'"},
      {"score out of range", Table({{"scores", Table({{"IPREV_FAIL", Num(1e9, 4)}}, 4)}}, 3),
       "portcullis.lua:4: checks.iprev.scores: IPREV_FAIL must be between -100 and 100"},
      {"timeout too small", Table({{"timeout_ms", Num(1, 5)}}, 3),
       "portcullis.lua:5: checks.iprev.timeout_ms: must be between 100 and 60000"},
      {"unknown option", Table({{"scorez", Num(1, 6)}}, 3),
       "portcullis.lua:6: unknown option 'checks.iprev.scorez'"},
  };
  for (const Case& c : cases) {
    bool ok = true;
    std::string got = ErrorsOf(c.tree, &ok);
    EXPECT_NE(got.find(c.want), std::string::npos) << c.name << ": got\n"
                                                   << got << "want " << c.want;
  }
  bool ok = false;
  EXPECT_EQ(ErrorsOf(Table({{"scores", Table({{"IPREV_FAIL", Num(2, 4)}}, 4)}}, 3), &ok), "");
  EXPECT_TRUE(ok);
}

}  // namespace
}  // namespace portcullis::iprev
