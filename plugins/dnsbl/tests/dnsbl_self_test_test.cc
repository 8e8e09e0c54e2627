#include "dnsbl_self_test.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "fake_resolver.h"

namespace portcullis::dnsbl {
namespace {

using portcullis::testing::FakeResolver;
using std::chrono::milliseconds;

// Nibble names of the RFC 5782 section 5 IPv6 test entries under bl.example.
const std::string kV6Listed =
    "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example";
const std::string kV6Invalid =
    "1.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example";

DnsblConfig OneList(ListType type, bool ipv6) {
  DnsblConfig config;
  DnsblList list;
  list.zone = "bl.example";
  list.type = type;
  list.ipv6 = ipv6;
  list.default_symbol = SymbolScore{"BL", 1};
  config.lists.push_back(list);
  return config;
}

// A list that behaves: the test entries listed, the invalid ones not.
void AddHealthy(FakeResolver& resolver) {
  resolver.AddA("2.0.0.127.bl.example", {"127.0.0.2"});
  resolver.AddA(kV6Listed, {"127.0.0.2"});
  resolver.AddA("test.bl.example", {"127.0.0.2"});
}

std::string Joined(const std::vector<std::string>& warnings) {
  std::string all;
  for (const std::string& warning : warnings) all += warning + "\n";
  return all;
}

TEST(DnsblSelfTest, ProbesTheRfc5782TestEntries) {
  FakeResolver resolver;
  AddHealthy(resolver);
  EXPECT_EQ(Joined(SelfTestWarnings(OneList(ListType::kIp, true), resolver)), "");
  EXPECT_EQ(resolver.LookupsOf("2.0.0.127.bl.example", dns::RecordType::kA), 1);
  EXPECT_EQ(resolver.LookupsOf("1.0.0.127.bl.example", dns::RecordType::kA), 1);
  EXPECT_EQ(resolver.LookupsOf(kV6Listed, dns::RecordType::kA), 1);
  EXPECT_EQ(resolver.LookupsOf(kV6Invalid, dns::RecordType::kA), 1);

  EXPECT_EQ(Joined(SelfTestWarnings(OneList(ListType::kDomain, false), resolver)), "");
  EXPECT_EQ(resolver.LookupsOf("test.bl.example", dns::RecordType::kA), 1);
  EXPECT_EQ(resolver.LookupsOf("invalid.bl.example", dns::RecordType::kA), 1);
}

TEST(DnsblSelfTest, SkipsListsWithSelfTestOff) {
  FakeResolver resolver;
  DnsblConfig config = OneList(ListType::kIp, true);
  config.lists[0].self_test = false;
  EXPECT_TRUE(SelfTestWarnings(config, resolver).empty());
  EXPECT_EQ(resolver.lookups(), 0);
}

TEST(DnsblSelfTest, MisbehavingListsTable) {
  struct Case {
    const char* name;
    ListType type;
    bool ipv6;
    void (*setup)(FakeResolver&);
    std::vector<std::string> want;  // substrings, one warning each
  } cases[] = {
      {"lists everything (127.0.0.1 listed)",
       ListType::kIp,
       false,
       [](FakeResolver& r) {
         AddHealthy(r);
         r.AddA("1.0.0.127.bl.example", {"127.0.0.2"});
       },
       {"dnsbl: list bl.example: RFC 5782 section 5 test 1.0.0.127.bl.example: listed, but no "
        "list may list it"}},
      {"lists nothing (wrong zone?)",
       ListType::kIp,
       false,
       [](FakeResolver&) {},
       {"test 2.0.0.127.bl.example: not listed, but every list must list it; check the zone "
        "name"}},
      {"refuses us (public resolver)",
       ListType::kIp,
       false,
       [](FakeResolver& r) {
         r.AddA("2.0.0.127.bl.example", {"127.255.255.254"});
         r.AddA("1.0.0.127.bl.example", {"127.255.255.254"});
       },
       {"2.0.0.127.bl.example: error answer 127.255.255.254 (refused: query came through a "
        "public/open resolver)",
        "1.0.0.127.bl.example: error answer 127.255.255.254"}},
      {"wildcard outside 127/8",
       ListType::kIp,
       false,
       [](FakeResolver& r) {
         AddHealthy(r);
         r.AddA("1.0.0.127.bl.example", {"198.51.100.80"});
       },
       {"1.0.0.127.bl.example: error answer 198.51.100.80 (outside 127.0.0.0/8"}},
      {"SERVFAIL",
       ListType::kIp,
       false,
       [](FakeResolver& r) {
         AddHealthy(r);
         r.SetStatus("2.0.0.127.bl.example", dns::RecordType::kA, dns::Status::kTempError,
                     "SERVFAIL");
       },
       {"2.0.0.127.bl.example: lookup failed (SERVFAIL)"}},
      {"no IPv6 data",
       ListType::kIp,
       true,
       [](FakeResolver& r) { r.AddA("2.0.0.127.bl.example", {"127.0.0.2"}); },
       {"2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example: not listed, "
        "but every list must list it; check the zone name or set ipv6 = false"}},
      {"domain list without test entry",
       ListType::kDomain,
       false,
       [](FakeResolver&) {},
       {"test.bl.example: not listed"}},
      {"domain list listing invalid",
       ListType::kDomain,
       false,
       [](FakeResolver& r) {
         AddHealthy(r);
         r.AddA("invalid.bl.example", {"127.0.0.2"});
       },
       {"invalid.bl.example: listed, but no list may list it"}},
  };
  for (const Case& c : cases) {
    FakeResolver resolver;
    c.setup(resolver);
    std::vector<std::string> warnings = SelfTestWarnings(OneList(c.type, c.ipv6), resolver);
    ASSERT_EQ(warnings.size(), c.want.size()) << c.name << ": got\n" << Joined(warnings);
    for (size_t i = 0; i < c.want.size(); ++i) {
      EXPECT_NE(warnings[i].find(c.want[i]), std::string::npos)
          << c.name << ": got " << warnings[i] << "\nwant " << c.want[i];
    }
  }
}

TEST(DnsblSelfTest, DeadListIsBoundedByTheBudget) {
  FakeResolver resolver;
  resolver.set_async(true);
  AddHealthy(resolver);
  resolver.SetUnanswered("2.0.0.127.bl.example", dns::RecordType::kA);
  resolver.SetUnanswered("1.0.0.127.bl.example", dns::RecordType::kA);
  DnsblConfig config = OneList(ListType::kIp, false);
  DnsblList second = config.lists[0];
  second.zone = "other.example";  // answers NXDOMAIN for everything: not listed
  config.lists.push_back(second);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> warnings = SelfTestWarnings(config, resolver, milliseconds(300));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, milliseconds(1500));
  EXPECT_GE(elapsed, milliseconds(250));
  const std::string all = Joined(warnings);
  EXPECT_NE(all.find("list bl.example: RFC 5782 section 5 test 2.0.0.127.bl.example: no answer "
                     "within 300 ms (timeout)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("1.0.0.127.bl.example: no answer within 300 ms"), std::string::npos) << all;
  EXPECT_NE(all.find("list other.example"), std::string::npos) << all;
}

}  // namespace
}  // namespace portcullis::dnsbl
