#include "greylist_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "test_support.h"

namespace portcullis::greylist {
namespace {

using testing::Bool;
using testing::ConfigErrorsOf;
using testing::List;
using testing::Num;
using testing::Options;
using testing::Str;
using testing::Table;

std::shared_ptr<const GreylistConfig> Read(const ConfigValue& tree, std::string* errors_out) {
  ConfigErrors errors;
  std::shared_ptr<const GreylistConfig> config;
  {
    ConfigReader reader(&tree, "checks.greylist", "portcullis.lua", &errors);
    config = ReadGreylistConfig(reader, "", "google.com\n");
  }
  for (const std::string& error : errors.all()) *errors_out += error + "\n";
  return config;
}

TEST(GreylistConfig, Defaults) {
  std::string errors;
  auto config = Read(Options(), &errors);
  EXPECT_EQ(errors, "");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->delay, Seconds(300));
  EXPECT_EQ(config->retry_window, Seconds(2 * 86400));
  EXPECT_EQ(config->max_age, Seconds(35 * 86400));
  EXPECT_EQ(config->ipv4_prefix, 24);
  EXPECT_EQ(config->ipv6_prefix, 64);
  EXPECT_TRUE(config->sender.lower_case && config->sender.strip_batv && config->sender.strip_srs &&
              config->sender.strip_subaddress && config->sender.replace_digits);
  EXPECT_EQ(config->sender.separators, "+");
  EXPECT_FALSE(config->recipient_strip_subaddress);
  EXPECT_TRUE(config->skip_authenticated);
  EXPECT_TRUE(config->skip_spf_pass);
  EXPECT_TRUE(config->skip_symbols.empty());
  EXPECT_TRUE(config->skip_networks.MatchesClient(*IpAddress::Parse("127.0.0.9")));
  EXPECT_TRUE(config->skip_networks.MatchesClient(*IpAddress::Parse("::1")));
  EXPECT_FALSE(config->skip_networks.MatchesClient(*IpAddress::Parse("192.0.2.1")));
  EXPECT_EQ(config->early_wait, std::chrono::milliseconds(200));
  EXPECT_EQ(config->auto_allowlist_after, 5);
  EXPECT_TRUE(config->builtin_allowlist);
  EXPECT_TRUE(config->allowlists.MatchesClient(std::nullopt, "mail-wr1-f41.google.com"));
  EXPECT_TRUE(config->allowlists.MatchesRecipient("postmaster@example.org"));
  EXPECT_TRUE(config->allowlists.MatchesRecipient("abuse@example.org"));
  EXPECT_FALSE(config->allowlists.MatchesRecipient("bob@example.org"));
  EXPECT_EQ(config->store_timeout, std::chrono::milliseconds(100));
  EXPECT_EQ(config->max_recipients, 100);
  EXPECT_EQ(config->log_interval, Seconds(60));
  EXPECT_EQ(config->ReplyText(Seconds(287)), "Greylisted: please retry in 287 seconds");
}

TEST(GreylistConfig, Durations) {
  struct Case {
    const char* text;
    int64_t want;  // -1 = invalid
  } cases[] = {{"300", 300}, {"300s", 300}, {"5m", 300}, {"48h", 172800}, {"35d", 3024000},
               {"", -1},     {"m", -1},     {"5w", -1},  {"-5s", -1},     {"1.5h", -1}};
  for (const Case& c : cases) {
    std::optional<Seconds> got = ParseDuration(c.text);
    EXPECT_EQ(got ? got->count() : -1, c.want) << c.text;
  }
  std::string errors;
  auto config =
      Read(Options({{"delay", Str("2m")}, {"retry_window", Num(7200)}, {"max_age", Str("10d")}}),
           &errors);
  ASSERT_TRUE(config) << errors;
  EXPECT_EQ(config->delay, Seconds(120));
  EXPECT_EQ(config->retry_window, Seconds(7200));
  EXPECT_EQ(config->max_age, Seconds(864000));
}

TEST(GreylistConfig, Errors) {
  const std::string missing_file = ::testing::TempDir() + "greylist_no_such_file.txt";
  const std::string bad_file = ::testing::TempDir() + "greylist_bad_entries.txt";
  {
    std::ofstream out(bad_file);
    out << "192.0.2.0/24\n192.0.2.7/24\nbad..name\n";
  }
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, ConfigValue>> options;
    const char* want;  // substring of the errors
  } cases[] = {
      {"unknown key", {{"dealy", Num(300)}}, "dealy"},
      {"unknown skip key", {{"skip", Table({{"spf", Bool(true)}})}}, "skip.spf"},
      {"bad duration", {{"delay", Str("5 minutes")}}, "checks.greylist.delay: expected"},
      {"delay too long", {{"delay", Str("2d")}}, "between 1s and 1d"},
      {"window not after delay",
       {{"delay", Num(3600)}, {"retry_window", Num(3600)}},
       "longer than delay"},
      {"max_age shorter than window",
       {{"retry_window", Str("10d")}, {"max_age", Str("5d")}},
       "must not be shorter than retry_window"},
      {"ipv4 prefix", {{"ipv4_prefix", Num(33)}}, "ipv4_prefix"},
      {"ipv6 prefix", {{"ipv6_prefix", Num(8)}}, "ipv6_prefix"},
      {"max_recipients zero", {{"max_recipients", Num(0)}}, "max_recipients"},
      {"bad network", {{"skip", Table({{"networks", List({"10.0.0.1/8"})}})}}, "host bits"},
      {"bad symbol", {{"skip", Table({{"symbols", List({"lower_case"})}})}}, "UPPER_SNAKE"},
      {"unknown score", {{"scores", Table({{"GREYLIST_FOO", Num(1)}})}}, "GREYLIST_FOO"},
      {"score range", {{"scores", Table({{"GREYLIST_NEW", Num(1000)}})}}, "between -100 and 100"},
      {"reply text", {{"tempfail_text", Str("line\r\nbreak")}}, "tempfail_text"},
      {"bad client entry", {{"allowlist_clients", List({"192.0.2.1/24"})}}, "allowlist_clients"},
      {"bad sender entry", {{"allowlist_senders", List({"not a domain"})}}, "allowlist_senders"},
      {"bad recipient entry", {{"allowlist_recipients", List({"a@b@c"})}}, "allowlist_recipients"},
      {"missing file", {{"allowlist_clients_files", List({missing_file})}}, "cannot open"},
      {"bad file entries",
       {{"allowlist_clients_files", List({bad_file})}},
       "greylist_bad_entries.txt:2: '192.0.2.7/24'"},
      {"empty separators", {{"subaddress_separators", Str("")}}, "subaddress_separators"},
      {"bad separator", {{"subaddress_separators", Str("@")}}, "subaddress_separators"},
      {"early wait", {{"early_wait_ms", Num(60000)}}, "early_wait_ms"},
  };
  for (const Case& c : cases) {
    const std::string errors = ConfigErrorsOf(Options(c.options));
    EXPECT_NE(errors.find(c.want), std::string::npos)
        << c.name << ": got errors\n"
        << errors << "want a line containing: " << c.want;
  }
  std::remove(bad_file.c_str());
}

TEST(GreylistConfig, RelativeFilesAreUnderTheConfigDir) {
  const std::string dir = ::testing::TempDir();
  {
    std::ofstream out(dir + "/greylist_rel_senders.txt");
    out << "partner.example\n";
  }
  EXPECT_EQ(ConfigErrorsOf(
                Options({{"allowlist_senders_files", List({"greylist_rel_senders.txt"})}}), dir),
            "");
  std::remove((dir + "/greylist_rel_senders.txt").c_str());
}

TEST(GreylistConfig, ShippedProviderListParses) {
  // The real data/providers.txt (embedded): every entry must load.
  EXPECT_EQ(ConfigErrorsOf(Options({{"builtin_allowlist", Bool(true)}})), "");
}

}  // namespace
}  // namespace portcullis::greylist
