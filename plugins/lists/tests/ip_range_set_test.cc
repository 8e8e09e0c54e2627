#include "ip_range_set.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "entry_syntax.h"

namespace portcullis::lists {
namespace {

IpRangeSet Build(const std::vector<std::string>& entries) {
  IpRangeSet set;
  for (const std::string& entry : entries) {
    IpNetwork network;
    std::string error = ParseClientEntry(entry, &network);
    EXPECT_EQ(error, "") << "entry " << entry;
    if (error.empty()) set.Add(network);
  }
  set.Build();
  return set;
}

bool Covered(const IpRangeSet& set, const std::string& address) {
  auto ip = IpAddress::Parse(address);
  EXPECT_TRUE(ip.has_value()) << address;
  return ip && set.Contains(*ip);
}

struct Case {
  std::vector<std::string> entries;
  std::string address;
  bool want;
};

TEST(ListsIpRangeSet, CoverageTable) {
  const Case cases[] = {
      // Single addresses and prefix edges.
      {{"192.0.2.1"}, "192.0.2.1", true},
      {{"192.0.2.1"}, "192.0.2.2", false},
      {{"192.0.2.1/32"}, "192.0.2.1", true},
      {{"192.0.2.0/24"}, "192.0.2.0", true},
      {{"192.0.2.0/24"}, "192.0.2.255", true},
      {{"192.0.2.0/24"}, "192.0.3.0", false},
      {{"192.0.2.0/24"}, "192.0.1.255", false},
      {{"192.0.2.0/31"}, "192.0.2.1", true},
      {{"192.0.2.0/31"}, "192.0.2.2", false},
      {{"0.0.0.0/0"}, "255.255.255.255", true},
      {{"0.0.0.0/0"}, "0.0.0.0", true},
      {{"0.0.0.0/0"}, "2001:db8::1", false},  // families stay apart
      {{"255.255.255.255"}, "255.255.255.255", true},
      {{"255.255.255.0/24", "255.255.254.0/24"}, "255.255.255.255", true},
      // IPv6, compressed forms and edges.
      {{"2001:db8::/32"}, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true},
      {{"2001:db8::/32"}, "2001:db9::", false},
      {{"2001:DB8:0:0:0:0:0:1"}, "2001:db8::1", true},
      {{"2001:db8::1/128"}, "2001:db8::1", true},
      {{"2001:db8::1/128"}, "2001:db8::2", false},
      {{"::1"}, "::1", true},
      {{"::1"}, "127.0.0.1", false},
      {{"::/0"}, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true},
      {{"::/0"}, "10.0.0.1", false},
      {{"2001:db8::/64"}, "2001:db8::ffff:ffff:ffff:ffff", true},
      {{"2001:db8::/64"}, "2001:db8:0:1::", false},
      {{"2001:db8::/65"}, "2001:db8::7fff:ffff:ffff:ffff", true},
      {{"2001:db8::/65"}, "2001:db8::8000:0:0:0", false},
      {{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
       "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       true},
      // IPv4-mapped clients match IPv4 entries; mapped entries are IPv4.
      {{"192.0.2.0/24"}, "::ffff:192.0.2.7", true},
      {{"192.0.2.0/24"}, "::ffff:192.0.3.7", false},
      {{"::ffff:192.0.2.0/120"}, "192.0.2.9", true},
      {{"::ffff:192.0.2.1"}, "192.0.2.1", true},
      {{"::ffff:0:0/96"}, "::ffff:10.1.2.3", true},
      {{"::ffff:0:0/96"}, "10.1.2.3", true},
      // Merging: overlapping, nested, adjacent ranges.
      {{"10.0.0.0/8", "10.1.0.0/16", "10.1.2.3"}, "10.200.0.1", true},
      {{"10.0.0.0/25", "10.0.0.128/25"}, "10.0.0.200", true},
      {{"10.0.0.0/25", "10.0.0.128/25"}, "10.0.1.0", false},
      {{"10.0.0.5", "10.0.0.7"}, "10.0.0.6", false},
      {{}, "10.0.0.6", false},
  };
  for (const Case& c : cases) {
    IpRangeSet set = Build(c.entries);
    EXPECT_EQ(Covered(set, c.address), c.want)
        << "got " << !c.want << " for " << c.address << " in ["
        << ::testing::PrintToString(c.entries) << "], want " << c.want;
  }
}

TEST(ListsIpRangeSet, MergesRanges) {
  IpRangeSet set = Build({"10.0.0.0/25", "10.0.0.128/25", "10.0.0.7", "192.0.2.0/24",
                          "2001:db8::/32", "2001:db8:1::/48"});
  EXPECT_EQ(set.v4_ranges(), 2u);
  EXPECT_EQ(set.v6_ranges(), 1u);
}

struct EntryCase {
  const char* entry;
  bool ok;
  const char* error_contains;
};

TEST(ListsClientEntry, ParseTable) {
  const EntryCase cases[] = {
      {"192.0.2.1", true, ""},
      {"192.0.2.0/24", true, ""},
      {"0.0.0.0/0", true, ""},
      {"192.0.2.1/32", true, ""},
      {"192.0.2.0/31", true, ""},
      {"2001:db8::/32", true, ""},
      {"::/0", true, ""},
      {"::1/128", true, ""},
      {"[2001:db8::1]", true, ""},
      // Decision: host bits set beyond the prefix are an error, with a hint.
      {"192.0.2.77/24", false, "did you mean 192.0.2.0/24"},
      {"192.0.2.1/31", false, "host bits"},
      {"2001:db8::1/32", false, "did you mean 2001:db8::/32"},
      {"1.2.3.4/0", false, "host bits"},
      {"192.0.2.0/33", false, "not an IP address"},
      {"2001:db8::/129", false, "not an IP address"},
      {"192.0.2.0/-1", false, "not an IP address"},
      {"192.0.2.0/", false, "not an IP address"},
      {"192.0.2.0/24x", false, "not an IP address"},
      {"192.0.2", false, "not an IP address"},
      {"256.0.0.1", false, "not an IP address"},
      {"example.org", false, "not an IP address"},
      {"2001:db8:::1", false, "not an IP address"},
      {"", false, "not an IP address"},
  };
  for (const EntryCase& c : cases) {
    IpNetwork network;
    std::string error = ParseClientEntry(c.entry, &network);
    EXPECT_EQ(error.empty(), c.ok) << "entry '" << c.entry << "' got error '" << error << "'";
    EXPECT_NE(error.find(c.error_contains), std::string::npos)
        << "entry '" << c.entry << "' got '" << error << "', want '" << c.error_contains << "'";
  }
}

}  // namespace
}  // namespace portcullis::lists
