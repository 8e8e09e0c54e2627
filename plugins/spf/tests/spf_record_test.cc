// RFC 7208 4.5 (record selection), 4.6 and 12 (syntax): every term shape.
#include "spf_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portcullis::spf {
namespace {

TEST(SpfRecord, SelectionPerSection45) {
  struct Case {
    const char* name;
    std::vector<std::string> texts;
    Selection want;
    const char* want_text;
  } cases[] = {
      {"no texts", {}, Selection::kNone, ""},
      {"no spf text", {"google-site-verification=abc", "hello"}, Selection::kNone, ""},
      {"one", {"hello", "v=spf1 -all"}, Selection::kOne, "v=spf1 -all"},
      {"bare version", {"v=spf1"}, Selection::kOne, "v=spf1"},
      {"upper case", {"V=SPF1 -all"}, Selection::kOne, "V=SPF1 -all"},
      {"v=spf10 is another version", {"v=spf10 -all"}, Selection::kNone, ""},
      {"no space after version", {"v=spf1-all"}, Selection::kNone, ""},
      {"leading space", {" v=spf1 -all"}, Selection::kNone, ""},
      {"spf2.0 ignored", {"spf2.0/pra -all", "v=spf1 +all"}, Selection::kOne, "v=spf1 +all"},
      {"two records", {"v=spf1 -all", "v=spf1 +all"}, Selection::kMultiple, ""},
      {"two identical", {"v=spf1 -all", "v=spf1 -all"}, Selection::kMultiple, ""},
  };
  for (const Case& c : cases) {
    SelectedRecord got = SelectRecord(c.texts);
    EXPECT_EQ(got.selection, c.want) << c.name;
    EXPECT_EQ(got.text, c.want_text) << c.name;
  }
}

TEST(SpfRecord, ValidRecordsTable) {
  struct Case {
    const char* text;
    size_t directives;
  } cases[] = {
      {"v=spf1", 0},
      {"v=spf1 ", 0},
      {"v=spf1   -all   ", 1},
      {"v=spf1 +all", 1},
      {"v=spf1 ?all ~all -all", 3},
      {"v=spf1 ALL", 1},
      {"v=spf1 a mx ptr", 3},
      {"v=spf1 a:example.com a:example.com/24 a/24 a//64 a/24//64 a:example.com/0//0", 6},
      {"v=spf1 mx:example.com mx/32 mx//128 MX:%{d}/30", 4},
      {"v=spf1 ptr:example.com PTR:%{d}", 2},
      {"v=spf1 ip4:192.0.2.1 ip4:192.0.2.0/24 ip4:0.0.0.0/0 IP4:10.0.0.0/8", 4},
      {"v=spf1 ip6:2001:db8::1 ip6:2001:db8::/32 ip6:::/0 ip6:::ffff:192.0.2.1", 4},
      {"v=spf1 include:_spf.example.com INCLUDE:%{d}", 2},
      {"v=spf1 exists:%{ir}.%{v}._spf.%{d} exists:example.com", 2},
      {"v=spf1 redirect=_spf.example.com", 0},
      {"v=spf1 exp=explain.%{d} -all", 1},
      {"v=spf1 -all exp=explain.example.com redirect=other.example.com", 1},
      // 6: unknown modifiers are ignored (but syntax-checked), anywhere.
      {"v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all", 2},
      {"v=spf1 foo=bar foo=baz -all ra=postmaster rp=100 rr=all", 1},
      {"v=spf1 x= -all", 1},
      {"v=spf1 a:foo.1-2 -all", 2},
  };
  for (const Case& c : cases) {
    ParsedRecord parsed = ParseRecord(c.text);
    ASSERT_TRUE(parsed.record) << c.text << ": " << parsed.error;
    EXPECT_EQ(parsed.record->directives.size(), c.directives) << c.text;
  }
}

TEST(SpfRecord, TermDetails) {
  ParsedRecord parsed = ParseRecord(
      "v=spf1 -a:example.com/24//64 ~mx ?ip4:192.0.2.0/25 ip6:2001:db8::/48 include:x.example.com "
      "exp=e.example.com redirect=r.example.com");
  ASSERT_TRUE(parsed.record) << parsed.error;
  const Record& record = *parsed.record;
  ASSERT_EQ(record.directives.size(), 5u);
  const Directive& a = record.directives[0];
  EXPECT_EQ(a.qualifier, Qualifier::kFail);
  EXPECT_EQ(a.mechanism, Mechanism::kA);
  EXPECT_EQ(a.cidr4, 24);
  EXPECT_EQ(a.cidr6, 64);
  ASSERT_GE(a.domain_spec, 0);
  EXPECT_EQ(record.specs[a.domain_spec].text(), "example.com");
  EXPECT_EQ(record.TermText(a), "-a:example.com/24//64");
  const Directive& mx = record.directives[1];
  EXPECT_EQ(mx.qualifier, Qualifier::kSoftfail);
  EXPECT_EQ(mx.domain_spec, -1);
  EXPECT_EQ(mx.cidr4, 32);
  EXPECT_EQ(mx.cidr6, 128);
  const Directive& ip4 = record.directives[2];
  EXPECT_EQ(ip4.qualifier, Qualifier::kNeutral);
  EXPECT_EQ(ip4.network.ToString(), "192.0.2.0");
  EXPECT_EQ(ip4.cidr4, 25);
  const Directive& ip6 = record.directives[3];
  EXPECT_EQ(ip6.qualifier, Qualifier::kPass);
  EXPECT_EQ(ip6.cidr6, 48);
  EXPECT_EQ(record.directives[4].mechanism, Mechanism::kInclude);
  ASSERT_GE(record.exp, 0);
  EXPECT_EQ(record.specs[record.exp].text(), "e.example.com");
  ASSERT_GE(record.redirect, 0);
  EXPECT_EQ(record.specs[record.redirect].text(), "r.example.com");
  EXPECT_FALSE(record.has_all);
  // ip4 without CIDR is /32; ip6 without is /128.
  ParsedRecord bare = ParseRecord("v=spf1 ip4:192.0.2.1 ip6:2001:db8::1 all");
  ASSERT_TRUE(bare.record);
  EXPECT_EQ(bare.record->directives[0].cidr4, 32);
  EXPECT_EQ(bare.record->directives[1].cidr6, 128);
  EXPECT_TRUE(bare.record->has_all);
}

TEST(SpfRecord, SyntaxErrorsAreReported) {
  struct Case {
    const char* text;
    const char* want_error;
  } cases[] = {
      {"v=spf1 foo", "unknown mechanism"},
      {"v=spf1 ip4:1.2.3.4 -all moo", "unknown mechanism"},  // 4.6: errors anywhere
      {"v=spf1 redirect:example.com", "unknown mechanism"},  // modifier needs "="
      {"v=spf1 +redirect=example.com", "unknown mechanism"},
      {"v=spf1 -all:foo", "takes no argument"},
      {"v=spf1 all/24", "takes no argument"},
      {"v=spf1 -all.", "unknown mechanism"},
      {"v=spf1 include", "needs"},
      {"v=spf1 include:", "needs"},
      {"v=spf1 exists", "needs"},
      {"v=spf1 include:example", "does not end"},
      {"v=spf1 a:example.123", "does not end"},
      {"v=spf1 a:com", "does not end"},
      {"v=spf1 a:example.com:8080", "does not end"},
      {"v=spf1 a:", "malformed argument"},
      {"v=spf1 a:foo.example.com/", "does not end"},
      {"v=spf1 ptr:", "malformed argument"},
      {"v=spf1 a/33", "ip4-cidr-length"},
      {"v=spf1 a/024", "ip4-cidr-length"},
      {"v=spf1 a//129", "ip6-cidr-length"},
      {"v=spf1 a//064", "ip6-cidr-length"},
      {"v=spf1 mx/24/64", "ip4-cidr-length"},
      {"v=spf1 ip4", "needs"},
      {"v=spf1 ip4:", "needs"},
      {"v=spf1 ip4:1.2.3.4/33", "bad CIDR"},
      {"v=spf1 ip4:1.2.3.4/032", "bad CIDR"},
      {"v=spf1 ip4:1.2.3.4/", "bad CIDR"},
      {"v=spf1 ip4:1.2.3.4//64", "bad CIDR"},
      {"v=spf1 ip4:1.2.3", "bad IPv4"},
      {"v=spf1 ip4:01.2.3.4", "bad IPv4"},
      {"v=spf1 ip4:1.2.3.256", "bad IPv4"},
      {"v=spf1 ip4:1.2.3.4.5", "bad IPv4"},
      {"v=spf1 ip4:2001:db8::1", "bad IPv4"},
      {"v=spf1 ip6:192.0.2.1", "bad IPv6"},
      {"v=spf1 ip6:2001:db8::1/129", "bad CIDR"},
      {"v=spf1 ip6:2001:db8::1/0128", "bad CIDR"},
      {"v=spf1 ip6:[2001:db8::1]", "bad IPv6"},
      {"v=spf1 ip6:2001:db8::1%eth0", "bad IPv6"},
      {"v=spf1 ip6:2001:db8:::1", "bad IPv6"},
      {"v=spf1 redirect=a.example.com redirect=b.example.com", "appears twice"},
      {"v=spf1 exp=a.example.com EXP=b.example.com", "appears twice"},
      {"v=spf1 redirect=", "empty domain-spec"},
      {"v=spf1 exp=%{c}.example.com", "only in explanations"},
      {"v=spf1 exists:%{t}.example.com", "only in explanations"},
      {"v=spf1 exists:%{d0}.example.com", "transformer 0"},
      {"v=spf1 exists:%{x}.example.com", "unknown macro letter"},
      {"v=spf1 foo=%{x}", "unknown macro letter"},
      {"v=spf1 foo=%", "at the end"},
      {"v=spf1 -all\t", "unknown mechanism"},
      {"v=spf1 a:caf\xc3\xa9.example.com", "visible ASCII"},
  };
  for (const Case& c : cases) {
    ParsedRecord parsed = ParseRecord(c.text);
    EXPECT_FALSE(parsed.record) << "'" << c.text << "' parsed";
    EXPECT_NE(parsed.error.find(c.want_error), std::string::npos)
        << "'" << c.text << "': got '" << parsed.error << "', want '" << c.want_error << "'";
  }
}

TEST(SpfRecord, TenThousandTermsParseInBoundedSpace) {
  std::string text = "v=spf1";
  for (int i = 0; i < 10000; ++i) {
    text += " ip4:10." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256) + ".1";
  }
  text += " -all";
  ParsedRecord parsed = ParseRecord(text);
  ASSERT_TRUE(parsed.record) << parsed.error;
  EXPECT_EQ(parsed.record->directives.size(), 10001u);
  EXPECT_LT(parsed.record->MemoryBytes(), 64 * 10001 + 2 * text.size() + 1024);
}

}  // namespace
}  // namespace portcullis::spf
