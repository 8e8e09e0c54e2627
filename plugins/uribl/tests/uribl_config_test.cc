#include "uribl_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace portcullis::uribl {
namespace {

using testing::Bool;
using testing::ConfigErrorsOf;
using testing::DblList;
using testing::Fields;
using testing::Items;
using testing::Num;
using testing::Options;
using testing::Str;
using testing::Strings;
using testing::SurblList;
using testing::Sym;
using testing::Table;

std::shared_ptr<const UriblConfig> Read(const ConfigValue& tree, ConfigErrors* errors) {
  ConfigReader reader(&tree, "checks.uribl", "portcullis.lua", errors);
  return ReadUriblConfig(reader);
}

TEST(UriblConfig, Defaults) {
  ConfigErrors errors;
  auto config = Read(Options({DblList()}), &errors);
  ASSERT_TRUE(config) << (errors.empty() ? "" : errors.all().front());
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(config->max_lookups, 20);
  EXPECT_EQ(config->timeout.count(), 5000);
  EXPECT_FALSE(config->wait.has_value());
  EXPECT_TRUE(config->skip_authenticated);
  ASSERT_EQ(config->lists.size(), 1u);
  const UriblList& list = config->lists[0];
  EXPECT_EQ(list.zone(), "dbl.spamhaus.org");
  EXPECT_EQ(list.targets, kDomains);
  EXPECT_EQ(list.identities, kUrl);
  EXPECT_FALSE(list.ipv6);
  EXPECT_FALSE(list.reject);
  EXPECT_EQ(list.rules.codes.size(), 5u);
  ASSERT_TRUE(list.rules.default_symbol);
  EXPECT_EQ(list.rules.default_symbol->symbol, "URIBL_DBL");
}

TEST(UriblConfig, OptionsRead) {
  ConfigErrors errors;
  auto config =
      Read(Options({SurblList({{"ipv6", Bool(true)},
                               {"identities", Strings({"url", "email"})},
                               {"action", Str("reject")}})},
                   {{"max_lookups", Num(50)},
                    {"wait_ms", Num(1500)},
                    {"timeout_ms", Num(2000)},
                    {"skip_authenticated", Bool(false)},
                    {"exclude_domains", Strings({"Our-Company.Example."})},
                    {"scores", Table({{"URIBL_ERROR", Num(0.5)}, {"URIBL_LIMIT", Num(1)}})}}),
           &errors);
  ASSERT_TRUE(config) << (errors.empty() ? "" : errors.all().front());
  EXPECT_EQ(config->max_lookups, 50);
  ASSERT_TRUE(config->wait.has_value());
  EXPECT_EQ(config->wait->count(), 1500);
  EXPECT_EQ(config->timeout.count(), 2000);
  EXPECT_FALSE(config->skip_authenticated);
  EXPECT_EQ(config->error_score, 0.5);
  EXPECT_EQ(config->limit_score, 1);
  const UriblList& list = config->lists[0];
  EXPECT_EQ(list.targets, kDomains | kIps);
  EXPECT_EQ(list.identities, kUrl | kEmail);
  EXPECT_TRUE(list.ipv6);
  EXPECT_TRUE(list.reject);
  EXPECT_EQ(list.rules.masks.size(), 4u);
}

TEST(UriblConfig, Excluded) {
  ConfigErrors errors;
  auto with_defaults =
      Read(Options({DblList()}, {{"exclude_domains", Strings({"mine.example"})}}), &errors);
  auto without = Read(Options({DblList()}, {{"exclude_defaults", Bool(false)}}), &errors);
  ASSERT_TRUE(with_defaults && without);
  struct Case {
    std::string domain;
    bool want_defaults;
    bool want_without;
  };
  const std::vector<Case> cases = {
      {"w3.org", true, false},
      {"google.com", true, false},
      {"docs.google.com", true, false},  // parents count
      {"x.com", true, false},
      {"mine.example", true, false},
      {"www.mine.example", true, false},
      {"notgoogle.com", false, false},  // label boundary, not a suffix match
      {"google.com.evil.example", false, false},
      {"spam.example", false, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(with_defaults->Excluded(c.domain), c.want_defaults) << c.domain;
    EXPECT_EQ(without->Excluded(c.domain), c.want_without) << c.domain;
  }
}

TEST(UriblConfig, ErrorsNameFileAndLine) {
  struct Case {
    std::string name;
    ConfigValue tree;
    std::string want;  // substring of the errors
  };
  // `lists` on line 10, the list's own keys on lines 11..; top-level keys
  // on the line given.
  auto list_at = [](Fields fields) {
    Fields all = {{"zone", Str("multi.surbl.org", 11)}};
    for (auto& field : fields) all.push_back(std::move(field));
    return Table(std::move(all), 10);
  };
  auto options = [](std::vector<ConfigValue> lists, Fields extra = {}) {
    Fields fields = {{"lists", Items(std::move(lists), 10)}};
    for (auto& field : extra) fields.push_back(std::move(field));
    return Table(std::move(fields), 9);
  };
  const ConfigValue masks = Table({{"0x08", Sym("URIBL_SURBL_PH", 5)}}, 12);
  std::vector<Case> cases;
  cases.push_back({"unknown top-level key",
                   options({list_at({{"masks", masks}})}, {{"max_lookup", Num(5, 20)}}),
                   "portcullis.lua:20: unknown option 'checks.uribl.max_lookup'"});
  cases.push_back({"unknown list key", options({list_at({{"masks", masks}, {"mask", Num(1, 14)}})}),
                   "portcullis.lua:10: checks.uribl.lists: [1] multi.surbl.org (line 14): "
                   "unknown option 'mask'"});
  cases.push_back({"max_lookups out of range",
                   options({list_at({{"masks", masks}})}, {{"max_lookups", Num(0, 21)}}),
                   "portcullis.lua:21: checks.uribl.max_lookups: must be between"});
  cases.push_back(
      {"no lists", Table({{"max_lookups", Num(5, 3)}}, 2), "checks.uribl.lists: missing"});
  cases.push_back({"bad type", options({list_at({{"masks", masks}, {"type", Str("url", 15)}})}),
                   "(line 15): type"});
  cases.push_back({"bad identity",
                   options({list_at({{"masks", masks}, {"identities", Strings({"from"}, 16)}})}),
                   "(line 16): identities: 'from' is not one of: url, email"});
  cases.push_back(
      {"email on an ip list",
       options({list_at(
           {{"masks", masks}, {"type", Str("ip", 15)}, {"identities", Strings({"email"}, 16)}})}),
       "identities: \"email\" needs type"});
  cases.push_back({"ipv6 on a domain list",
                   options({list_at({{"masks", masks}, {"ipv6", Bool(true, 17)}})}),
                   "(line 17): ipv6: only for type"});
  cases.push_back({"no codes", options({list_at({})}), "has no codes, masks or default"});
  cases.push_back({"bad mask",
                   options({list_at({{"masks", Table({{"0x100", Sym("URIBL_X", 1)}}, 12)}})}),
                   "masks: '0x100' is not a bit mask"});
  cases.push_back({"code outside 127/8",
                   options({list_at({{"codes", Table({{"10.0.0.1", Sym("URIBL_X", 1)}}, 12)}})}),
                   "outside 127.0.0.0/8"});
  cases.push_back({"bad action",
                   options({list_at({{"masks", masks}, {"action", Str("tempfail", 18)}})}),
                   "(line 18): action"});
  cases.push_back({"duplicate zone",
                   options({list_at({{"masks", masks}}), list_at({{"masks", masks}})}),
                   "the same zone appears twice"});
  cases.push_back({"bad zone",
                   options({Table({{"zone", Str("bad zone!", 11)}, {"masks", masks}}, 10)}),
                   "(line 11): zone: 'bad zone!' is not a DNS zone name"});
  cases.push_back(
      {"bad exclude",
       options({list_at({{"masks", masks}})}, {{"exclude_domains", Strings({"not a domain"}, 22)}}),
       "portcullis.lua:22: checks.uribl.exclude_domains: 'not a domain'"});
  cases.push_back({"unknown score",
                   options({list_at({{"masks", masks}})},
                           {{"scores", Table({{"URIBL_OTHER", Num(1, 23)}}, 23)}}),
                   "unknown symbol 'URIBL_OTHER'"});
  for (const Case& c : cases) {
    std::string errors = ConfigErrorsOf(c.tree);
    EXPECT_NE(errors.find(c.want), std::string::npos) << c.name << ": got errors\n"
                                                      << errors << "want a line containing\n"
                                                      << c.want;
  }
}

TEST(UriblConfig, BadConfigBuildsNoCheck) {
  ConfigErrors errors;
  EXPECT_FALSE(Read(Options({Table({{"zone", Str("multi.surbl.org")}})}), &errors));
  EXPECT_FALSE(errors.empty());
}

}  // namespace
}  // namespace portcullis::uribl
