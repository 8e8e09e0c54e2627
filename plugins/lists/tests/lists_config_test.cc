#include <gtest/gtest.h>

#include <string>

#include "lists_check.h"
#include "portcullis/check_registry.h"
#include "test_config.h"

namespace portcullis::lists {
namespace {

using testing::List;
using testing::MakeCheck;
using testing::Num;
using testing::Str;
using testing::Table;

TEST(ListsConfig, StagesFollowConfiguredLists) {
  struct Case {
    const char* name;
    ConfigValue tree;
    StageMask want;
  } cases[] = {
      {"nothing", Table({}), 0},
      {"client", Table({{"client", Table({{"allow", List({"127.0.0.1"})}})}}),
       kStageConnect | kStageRcpt},
      {"helo", Table({{"helo", Table({{"block", List({"example.org"})}})}}),
       kStageHelo | kStageRcpt},
      {"sender", Table({{"sender", Table({{"block", List({"example.org"})}})}}),
       kStageMailFrom | kStageRcpt},
      {"recipient", Table({{"recipient", Table({{"allow", List({"example.org"})}})}}), kStageRcpt},
      {"from", Table({{"from_domain", Table({{"block", List({"example.org"})}})}}), kStageHeader},
  };
  for (const Case& c : cases) {
    auto check = MakeCheck(c.tree);
    ASSERT_TRUE(check) << c.name;
    EXPECT_EQ(check->stages(), c.want) << c.name;
  }
}

TEST(ListsConfig, ConfigErrorsTable) {
  struct Case {
    const char* name;
    ConfigValue tree;
    std::string want_error;
  } cases[] = {
      {"bad action", Table({{"block_action", Str("drop")}}), "block_action: 'drop' is not one of"},
      {"bad allow action", Table({{"allow_action", Str("skip")}}), "allow_action"},
      {"reject code class", Table({{"reject_code", Str("450")}}), "reject_code: must be a 5xx"},
      {"tempfail code class", Table({{"tempfail_code", Str("550")}}), "must be a 4xx"},
      {"enhanced code", Table({{"reject_enhanced_code", Str("5.7")}}), "RFC 3463"},
      {"enhanced class", Table({{"reject_enhanced_code", Str("4.7.1")}}), "RFC 3463"},
      {"reply injection", Table({{"reject_text", Str("no\r\n250 ok")}}), "no line breaks"},
      {"unknown symbol", Table({{"scores", Table({{"LISTS_BLOCK_IP", Num(3)}})}}),
       "unknown symbol 'LISTS_BLOCK_IP'"},
      {"bad inline entry",
       Table({{"sender", Table({{"block", List({"example.org", "bad..example"})}})}}),
       "checks.lists.sender.block: item 2: 'bad..example': empty label"},
      {"missing file", Table({{"client", Table({{"block_files", List({"/nonexistent/x"})}})}}),
       "/nonexistent/x: cannot open"},
  };
  for (const Case& c : cases) {
    ConfigErrors errors;
    auto check = MakeCheck(c.tree, &errors);
    EXPECT_FALSE(check) << c.name;
    std::string all;
    for (const std::string& error : errors.all()) all += error + "\n";
    EXPECT_NE(all.find(c.want_error), std::string::npos) << c.name << ": got\n"
                                                         << all << "want " << c.want_error;
  }
}

TEST(ListsConfig, UnknownOptionIsReported) {
  ConfigValue tree = Table({{"client", Table({{"blok", List({"192.0.2.1"})}})}});
  ConfigErrors errors;
  MakeCheck(tree, &errors);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.all()[0].find("unknown option 'checks.lists.client.blok'"), std::string::npos)
      << errors.all()[0];
}

TEST(ListsConfig, IsRegistered) { EXPECT_NE(FindCheckFactory("lists"), nullptr); }

}  // namespace
}  // namespace portcullis::lists
