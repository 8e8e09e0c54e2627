#include "portcullis/command_args.h"

#include <gtest/gtest.h>

namespace portcullis {
namespace {

TEST(CommandArgs, ParsesValuesFlagsAndPositionals) {
  struct Case {
    std::vector<std::string> args;
    std::string want;  // "values|flags|positional" or "error: ..."
  } cases[] = {
      {{"--dns", "127.0.0.1:53", "--json", "a.eml"}, "--dns=127.0.0.1:53|--json|a.eml"},
      {{"--dns=[::1]:53", "a.eml"}, "--dns=[::1]:53||a.eml"},
      {{"--dns", "x", "--dns", "y"}, "--dns=y||"},
      {{"-"}, "||-"},
      {{"--json=1"}, "error: option --json takes no value"},
      {{"--dns"}, "error: option --dns needs a value"},
      {{"--bogus"}, "error: unknown option --bogus"},
      {{"a.eml", "b.eml"}, "error: unexpected argument b.eml"},
  };
  for (const Case& c : cases) {
    std::string error;
    auto parsed = ParseCommandArgs(c.args, {"--dns"}, {"--json"}, 1, &error);
    std::string got;
    if (!parsed) {
      got = "error: " + error;
    } else {
      for (const auto& [name, value] : parsed->values) got += name + "=" + value;
      got += "|";
      for (const std::string& flag : parsed->flags) got += flag;
      got += "|";
      for (const std::string& arg : parsed->positional) got += arg;
    }
    EXPECT_EQ(got, c.want) << c.args.front();
  }
}

TEST(CommandArgs, HelpStopsParsing) {
  std::string error;
  auto parsed = ParseCommandArgs({"--bogus-later", "-h"}, {}, {}, 0, &error);
  EXPECT_FALSE(parsed) << "an unknown option before --help is still an error";
  parsed = ParseCommandArgs({"--help", "--bogus"}, {}, {}, 0, &error);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->help);
}

TEST(CommandArgs, BoundedIntegers) {
  EXPECT_EQ(ParseBoundedInteger("5000", 1, 120000), 5000);
  EXPECT_EQ(ParseBoundedInteger("0", 1, 10), std::nullopt);
  EXPECT_EQ(ParseBoundedInteger("11", 1, 10), std::nullopt);
  EXPECT_EQ(ParseBoundedInteger("5x", 1, 10), std::nullopt);
  EXPECT_EQ(ParseBoundedInteger("", 1, 10), std::nullopt);
}

TEST(CommandArgs, ResolverOptionsForOneServer) {
  dns::ResolverOptions options =
      CommandResolverOptions("127.0.0.1:5353", std::chrono::milliseconds(300));
  EXPECT_EQ(options.servers, std::vector<std::string>{"127.0.0.1:5353"});
  EXPECT_EQ(options.query_timeout, std::chrono::milliseconds(300));
  EXPECT_EQ(options.attempt_timeout, std::chrono::milliseconds(300));
  EXPECT_TRUE(CommandResolverOptions("", std::chrono::milliseconds(5000)).servers.empty());
}

}  // namespace
}  // namespace portcullis
