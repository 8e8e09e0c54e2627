#include "dns/dns_name_syntax.h"

#include <gtest/gtest.h>

#include <string>

namespace portcullis::dns {
namespace {

TEST(DnsNameSyntax, NormalizeName) {
  const std::string label63(63, 'a');
  const std::string label64(64, 'a');
  // 4 labels of 63 + 3 dots = 255 characters; trimmed to 253 below.
  std::string name253 = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  std::string name254 = name253 + "c";
  struct Case {
    std::string input;
    std::string want;        // normalised name when valid
    std::string want_error;  // "" when valid
  } cases[] = {
      {"Example.COM", "example.com", ""},
      {"example.com.", "example.com", ""},
      {"_spf.Example.com", "_spf.example.com", ""},
      {"a", "a", ""},
      {"x y.example", "x y.example", ""},                              // any byte DNS can carry
      {"\xc3\x89t\xc3\xa9.example", "\xc3\x89t\xc3\xa9.example", ""},  // only A-Z folded
      {label63 + ".example", label63 + ".example", ""},
      {name253, name253, ""},
      {name253 + ".", name253, ""},
      {"", "", "empty name"},
      {".", "", "empty name"},
      {"a..b", "", "empty label"},
      {".a", "", "empty label"},
      {"a..", "", "empty label"},
      {label64 + ".example", "", "label longer than 63 octets"},
      {name254, "", "name longer than 253 characters"},
  };
  for (const Case& c : cases) {
    NormalizedName normalized;
    std::string_view error = NormalizeName(c.input, &normalized);
    EXPECT_EQ(error, c.want_error) << "input " << c.input;
    if (c.want_error.empty()) {
      EXPECT_EQ(normalized.view(), c.want) << "input " << c.input;
    }
  }
}

TEST(DnsNameSyntax, WireRoundTrip) {
  struct Case {
    std::string name;
    std::vector<uint8_t> wire;
  } cases[] = {
      {"", {0}},
      {"a", {1, 'a', 0}},
      {"ab.c", {2, 'a', 'b', 1, 'c', 0}},
      {"_x.y", {2, '_', 'x', 1, 'y', 0}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NameToWire(c.name), c.wire) << c.name;
    EXPECT_EQ(WireToName(c.wire.data(), c.wire.size()), c.name) << c.name;
  }
  // Upper case on the wire comes back lower-cased.
  std::vector<uint8_t> upper = {2, 'A', 'b', 1, 'C', 0};
  EXPECT_EQ(WireToName(upper.data(), upper.size()), "ab.c");
  // A length running past the end stops the conversion.
  std::vector<uint8_t> broken = {1, 'a', 9, 'b', 0};
  EXPECT_EQ(WireToName(broken.data(), broken.size()), "a");
}

TEST(DnsNameSyntax, WireNamesEqualIgnoresAsciiCaseOnly) {
  auto eq = [](std::vector<uint8_t> a, std::vector<uint8_t> b) {
    return WireNamesEqual(a.data(), a.size(), b.data(), b.size());
  };
  EXPECT_TRUE(eq(NameToWire("ab.c"), {2, 'A', 'B', 1, 'c', 0}));
  EXPECT_FALSE(eq(NameToWire("ab.c"), NameToWire("ab.d")));
  EXPECT_FALSE(eq(NameToWire("ab.c"), NameToWire("ab.cc")));
  EXPECT_FALSE(eq({1, 0xc9, 0}, {1, 0xe9, 0}));  // Latin-1 É/é are not folded
}

}  // namespace
}  // namespace portcullis::dns
