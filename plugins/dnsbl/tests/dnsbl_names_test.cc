#include "dnsbl_names.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>


namespace portcullis::dnsbl {
namespace {

TEST(DnsblNames, NormaliseDomainTable) {
  struct Case {
    const char* input;
    std::optional<std::string> want;
  } cases[] = {
      {"Example.ORG", "example.org"},
      {"mail.example.org.", "mail.example.org"},  // the trailing dot names the same domain
      {"a_b.example.org", "a_b.example.org"},
      {"localhost", std::nullopt},  // one label
      {"192.0.2.1", std::nullopt},  // an address, not a domain
      {"2001:db8::1", std::nullopt},
      {"example.123", std::nullopt},       // RFC 3696 2: numeric TLD
      {"bad..example.org", std::nullopt},  // empty label
      {"-bad.example.org", std::nullopt},  // leading hyphen
      {"bad-.example.org", std::nullopt},
      {"sp ace.example.org", std::nullopt},
      {"semi;colon.example.org", std::nullopt},
      {"", std::nullopt},
      {".", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NormaliseDomain(c.input), c.want) << "input '" << c.input << "'";
  }
  EXPECT_EQ(NormaliseDomain(std::string(64, 'a') + ".example.org"), std::nullopt) << "label > 63";
  EXPECT_TRUE(NormaliseDomain(std::string(63, 'a') + ".example.org")) << "label of 63";
  std::string long_name;
  while (long_name.size() < 250) long_name += "abcdefghi.";
  long_name += "org";
  ASSERT_EQ(long_name.size(), 253u);
  EXPECT_TRUE(NormaliseDomain(long_name)) << "253 octets is the limit";
  EXPECT_EQ(NormaliseDomain("a" + long_name), std::nullopt) << "over 253 octets";
}

TEST(DnsblNames, HeloDomainTable) {
  struct Case {
    const char* helo;
    std::optional<std::string> want;
  } cases[] = {
      {"mx.Example.org", "mx.example.org"},
      {"[192.0.2.1]", std::nullopt},  // RFC 5321 address literal
      {"[IPv6:2001:db8::1]", std::nullopt},
      {"192.0.2.1", std::nullopt},  // bare address
      {"localhost", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(HeloDomain(c.helo), c.want) << c.helo;
}

TEST(DnsblNames, IpQueryNamesFollowRfc5782) {
  struct Case {
    const char* client;
    const char* want;
  } cases[] = {
      // RFC 5782 2.1: octets reversed.
      {"192.0.2.99", "99.2.0.192.zen.example"},
      // RFC 5782 2.4: 32 nibbles, least significant first.
      {"2001:db8:1:2:3:4:567:89ab",
       "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.zen.example"},
      // An IPv4-mapped client is the IPv4 client it stands for.
      {"::ffff:192.0.2.99", "99.2.0.192.zen.example"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IpQueryName(*IpAddress::Parse(c.client), "zen.example"), c.want) << c.client;
  }
}

TEST(DnsblNames, DomainQueryNameRefusesOverlongNames) {
  EXPECT_EQ(DomainQueryName("example.org", "dbl.example"), "example.org.dbl.example");
  std::string domain(200, 'a');
  EXPECT_EQ(DomainQueryName(domain + ".org", std::string(60, 'z')), std::nullopt);
}

TEST(DnsblNames, PrivateAddressesTable) {
  struct Case {
    const char* address;
    bool want;
  } cases[] = {
      {"127.0.0.1", true},         {"10.1.2.3", true},
      {"172.16.0.1", true},        {"172.32.0.1", false},
      {"192.168.1.1", true},       {"100.64.0.1", true},
      {"169.254.1.1", true},       {"::1", true},
      {"fd00::1", true},           {"fe80::1", true},
      {"::ffff:10.0.0.1", true},   {"192.0.2.1", false},
      {"198.51.100.7", false},     {"2001:db8::1", false},
      {"::ffff:192.0.2.1", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsPrivateAddress(*IpAddress::Parse(c.address)), c.want) << c.address;
  }
}

}  // namespace
}  // namespace portcullis::dnsbl
