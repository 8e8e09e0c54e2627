#include "dnsbl_config.h"

#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace portcullis::dnsbl {
namespace {

using testing::Bool;
using testing::ConfigErrorsOf;
using testing::Items;
using testing::MakeCheck;
using testing::Num;
using testing::Str;
using testing::Strings;
using testing::Sym;
using testing::Table;
using testing::ZenList;

// checks.dnsbl = { lists = { <list> } } with `lists` on line 7.
ConfigValue OneList(ConfigValue list) { return Table({{"lists", Items({std::move(list)}, 7)}}, 6); }

ConfigValue DblList(std::vector<std::pair<std::string, ConfigValue>> extra = {}) {
  std::vector<std::pair<std::string, ConfigValue>> fields = {
      {"zone", Str("dbl.example")},
      {"type", Str("domain")},
      {"default", Sym("DBL_LISTED", 5)},
  };
  for (auto& field : extra) fields.push_back(std::move(field));
  return Table(std::move(fields));
}

TEST(DnsblConfig, ReadsTheZenExample) {
  ConfigErrors errors;
  CheckContext context;
  ConfigValue tree = OneList(ZenList({{"action", Str("reject")},
                                      {"reject_code", Str("554")},
                                      {"reject_text", Str("Listed at zen.spamhaus.org")}}));
  std::shared_ptr<const DnsblConfig> config;
  {
    ConfigReader reader(&tree, "checks.dnsbl", "portcullis.lua", &errors);
    config = ReadDnsblConfig(reader);
  }
  for (const std::string& error : errors.all()) ADD_FAILURE() << error;
  ASSERT_TRUE(config);
  ASSERT_EQ(config->lists.size(), 1u);
  const DnsblList& zen = config->lists[0];
  EXPECT_EQ(zen.zone, "zen.spamhaus.org");
  EXPECT_EQ(zen.type, ListType::kIp);
  EXPECT_TRUE(zen.Rejects());
  EXPECT_TRUE(zen.ipv6);
  EXPECT_TRUE(zen.self_test);
  EXPECT_EQ(zen.codes.size(), 5u);
  ASSERT_TRUE(zen.default_symbol);
  EXPECT_EQ(zen.default_symbol->symbol, "RBL_ZEN");
  EXPECT_EQ(zen.reject_reply.smtp_code, "554");
  EXPECT_EQ(zen.reject_reply.enhanced_code, "5.7.1");
  EXPECT_EQ(zen.reject_reply.text, "Listed at zen.spamhaus.org");
  EXPECT_EQ(config->rcpt_wait, std::chrono::milliseconds(2000));
  EXPECT_EQ(config->timeout, std::chrono::milliseconds(5000));
}

TEST(DnsblConfig, StagesFollowConfiguredLists) {
  struct Case {
    const char* name;
    ConfigValue list;
    StageMask want;
  } cases[] = {
      {"ip score", ZenList(), kStageConnect},
      {"ip reject", ZenList({{"action", Str("reject")}}), kStageConnect | kStageRcpt},
      {"ip allowlist", ZenList({{"allowlist", Bool(true)}}), kStageConnect},
      {"domain, all identities", DblList(), kStageHelo | kStageMailFrom | kStageEndOfHeaders},
      {"domain, sender only", DblList({{"identities", Strings({"sender"})}}), kStageMailFrom},
      {"domain, from only, reject",
       DblList({{"identities", Strings({"from"})}, {"action", Str("reject")}}), kStageEndOfHeaders},
      {"domain, helo, reject",
       DblList({{"identities", Strings({"helo"})}, {"action", Str("reject")}}),
       kStageHelo | kStageRcpt},
  };
  for (const Case& c : cases) {
    auto check = MakeCheck(OneList(c.list), nullptr);
    ASSERT_TRUE(check) << c.name;
    EXPECT_EQ(check->stages(), c.want) << c.name;
  }
}

TEST(DnsblConfig, ErrorsNameFileAndLine) {
  struct Case {
    const char* name;
    ConfigValue tree;
    std::string want;
  } cases[] = {
      {"unknown key in a list", OneList(ZenList({{"zones", Str("x")}})),
       "portcullis.lua:7: checks.dnsbl.lists: [1] zen.spamhaus.org: unknown option 'zones'"},
      {"unknown top-level key", Table({{"lists", Items({ZenList()}, 7)}, {"timout_ms", Num(5, 9)}}),
       "portcullis.lua:9: unknown option 'checks.dnsbl.timout_ms'"},
      {"missing zone", OneList(Table({{"default", Sym("BL", 1)}})),
       "portcullis.lua:7: checks.dnsbl.lists: [1]: zone: missing"},
      {"zone of the wrong type", OneList(Table({{"zone", Num(5)}, {"default", Sym("BL", 1)}})),
       "[1]: zone: expected string, got number"},
      {"bad zone", OneList(Table({{"zone", Str("bad..zone")}, {"default", Sym("BL", 1)}})),
       "[1] bad..zone: zone: 'bad..zone' is not a DNS zone name"},
      {"bad code text",
       OneList(
           Table({{"zone", Str("bl.example")}, {"codes", Table({{"127.0.0.x", Sym("BL_X", 1)}})}})),
       "[1] bl.example: codes: '127.0.0.x' is not an IPv4 code"},
      {"code outside 127/8",
       OneList(
           Table({{"zone", Str("bl.example")}, {"codes", Table({{"10.0.0.2", Sym("BL_X", 1)}})}})),
       "codes: '10.0.0.2' is outside 127.0.0.0/8"},
      {"code among the error codes",
       OneList(Table(
           {{"zone", Str("bl.example")}, {"codes", Table({{"127.255.255.254", Sym("BL_X", 1)}})}})),
       "overlaps 127.255.255.0/24"},
      {"reversed range",
       OneList(Table({{"zone", Str("bl.example")},
                      {"codes", Table({{"127.0.0.7-127.0.0.4", Sym("BL", 1)}})}})),
       "'127.0.0.7-127.0.0.4' is not an IPv4 code"},
      {"cidr with host bits",
       OneList(Table(
           {{"zone", Str("bl.example")}, {"codes", Table({{"127.0.0.5/30", Sym("BL", 1)}})}})),
       "'127.0.0.5/30' is not an IPv4 code"},
      {"bad mask",
       OneList(Table({{"zone", Str("bl.example")}, {"masks", Table({{"0x100", Sym("BL", 1)}})}})),
       "masks: '0x100' is not a bit mask"},
      {"lower-case symbol",
       OneList(Table(
           {{"zone", Str("bl.example")}, {"codes", Table({{"127.0.0.2", Sym("rbl_zen", 1)}})}})),
       "codes[\"127.0.0.2\"].symbol: 'rbl_zen' is not UPPER_SNAKE"},
      {"symbol with a dash",
       OneList(Table({{"zone", Str("bl.example")}, {"default", Sym("RBL-ZEN", 1)}})),
       "default.symbol: 'RBL-ZEN' is not UPPER_SNAKE"},
      {"missing score",
       OneList(Table({{"zone", Str("bl.example")}, {"default", Table({{"symbol", Str("BL")}})}})),
       "default.score: missing"},
      {"score out of range",
       OneList(Table({{"zone", Str("bl.example")}, {"default", Sym("BL", 1e9)}})),
       "default.score: must be between"},
      {"no codes at all", OneList(Table({{"zone", Str("bl.example")}})),
       "[1] bl.example: codes: the list has no codes, masks or default"},
      {"error code with a symbol",
       OneList(Table({{"zone", Str("bl.example")},
                      {"default", Sym("BL", 1)},
                      {"codes", Table({{"127.0.0.1", Table({{"error", Str("refused")},
                                                            {"symbol", Str("BL_X")}})}})}})),
       "codes[\"127.0.0.1\"].error: an error code has no symbol or score"},
      {"error code without text",
       OneList(Table({{"zone", Str("bl.example")},
                      {"default", Sym("BL", 1)},
                      {"codes", Table({{"127.0.0.1", Table({{"error", Str("")}})}})}})),
       "codes[\"127.0.0.1\"].error: must say what the code means"},
      {"bad type", OneList(ZenList({{"type", Str("uri")}})),
       "type: 'uri' is not one of: ip, domain"},
      {"bad action", OneList(ZenList({{"action", Str("drop")}})),
       "action: 'drop' is not one of: score, reject"},
      {"allowlist cannot reject",
       OneList(ZenList({{"allowlist", Bool(true)}, {"action", Str("reject")}})),
       "an allowlist never rejects"},
      {"accept needs allowlist", OneList(ZenList({{"accept", Bool(true)}})),
       "accept: only for allowlist = true"},
      {"identities on an ip list", OneList(ZenList({{"identities", Strings({"helo"})}})),
       "identities: only for type = \"domain\""},
      {"ipv6 on a domain list", OneList(DblList({{"ipv6", Bool(true)}})),
       "ipv6: only for type = \"ip\""},
      {"unknown identity", OneList(DblList({{"identities", Strings({"rcpt"})}})),
       "identities: 'rcpt' is not one of: sender, helo, from"},
      {"reject code class", OneList(ZenList({{"reject_code", Str("450")}})),
       "reject_code: must be a 5xx reply code"},
      {"reply injection", OneList(ZenList({{"reject_text", Str("no\r\n250 ok")}})),
       "reject_text: must be 1 to"},
      {"no lists", Table({}, 6), "portcullis.lua:6: checks.dnsbl.lists: missing"},
      {"lists not a list", Table({{"lists", Table({{"zen", ZenList()}}, 7)}}, 6),
       "portcullis.lua:7: checks.dnsbl.lists: expected a list of tables"},
      {"list not a table", Table({{"lists", Items({Str("zen.spamhaus.org", 7)}, 7)}}, 6),
       "[1]: expected a table"},
      {"same zone twice", Table({{"lists", Items({ZenList(), ZenList()}, 7)}}, 6),
       "[2] zen.spamhaus.org: the same zone and type appear twice"},
      {"unknown score",
       Table({{"lists", Items({ZenList()}, 7)}, {"scores", Table({{"DNSBL_OOPS", Num(1)}}, 8)}}, 6),
       "scores: unknown symbol 'DNSBL_OOPS'"},
      {"second list named by position",
       Table({{"lists", Items({ZenList(), DblList({{"type", Str("url")}})}, 7)}}, 6),
       "[2] dbl.example: type: 'url' is not one of"},
  };
  for (const Case& c : cases) {
    std::string got = ConfigErrorsOf(c.tree);
    EXPECT_NE(got.find(c.want), std::string::npos) << c.name << ": got\n"
                                                   << got << "want " << c.want;
    EXPECT_EQ(got.rfind("portcullis.lua:", 0), 0u)
        << c.name << ": every error names the file: " << got;
  }
}

TEST(DnsblConfig, ValidDomainListsAndScores) {
  ConfigValue tree = Table(
      {{"lists", Items({ZenList(), DblList({{"identities", Strings({"sender", "from"})}})}, 7)},
       {"scores", Table({{"DNSBL_TEMPERROR", Num(0.5)}, {"DNSBL_ERROR", Num(0.1)}})},
       {"rcpt_wait_ms", Num(500)},
       {"skip_private", Bool(false)}});
  EXPECT_EQ(ConfigErrorsOf(tree), "");
}

}  // namespace
}  // namespace portcullis::dnsbl
