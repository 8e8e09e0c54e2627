// RFC 7489 6.3/6.4 record syntax and 6.6.3 record selection.
#include "dmarc_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portcullis::dmarc {
namespace {

TEST(DmarcRecord, SelectionPerSection663) {
  struct Case {
    const char* name;
    std::vector<std::string> texts;
    Selection want;
    const char* want_text;
  } cases[] = {
      {"no texts", {}, Selection::kNone, ""},
      {"no dmarc text", {"v=spf1 -all", "hello"}, Selection::kNone, ""},
      {"one", {"hello", "v=DMARC1; p=reject"}, Selection::kOne, "v=DMARC1; p=reject"},
      {"lower case", {"v=dmarc1;p=none"}, Selection::kOne, "v=dmarc1;p=none"},
      {"spaces around =", {"v = DMARC1 ; p=none"}, Selection::kOne, "v = DMARC1 ; p=none"},
      {"bare version", {"v=DMARC1"}, Selection::kOne, "v=DMARC1"},
      {"other version", {"v=DMARC10; p=none"}, Selection::kNone, ""},
      {"not first", {"p=reject; v=DMARC1"}, Selection::kNone, ""},
      {"leading space", {" v=DMARC1; p=none"}, Selection::kNone, ""},
      {"two records", {"v=DMARC1; p=none", "v=DMARC1; p=reject"}, Selection::kMultiple, ""},
  };
  for (const Case& c : cases) {
    SelectedRecord got = SelectDmarcRecord(c.texts);
    EXPECT_EQ(got.selection, c.want) << c.name;
    EXPECT_EQ(got.text, c.want_text) << c.name;
  }
}

TEST(DmarcRecord, DefaultsPerSection63) {
  ParsedDmarcRecord parsed = ParseDmarcRecord("v=DMARC1; p=quarantine");
  ASSERT_TRUE(parsed.record) << parsed.error;
  const DmarcRecord& r = *parsed.record;
  EXPECT_EQ(r.policy, Policy::kQuarantine);
  EXPECT_FALSE(r.subdomain_policy);
  EXPECT_EQ(r.percent, 100);
  EXPECT_EQ(r.dkim_alignment, Alignment::kRelaxed);
  EXPECT_EQ(r.spf_alignment, Alignment::kRelaxed);
  EXPECT_TRUE(r.aggregate_uris.empty());
  EXPECT_EQ(r.failure_options, std::vector<std::string>{"0"});
  EXPECT_EQ(r.report_formats, std::vector<std::string>{"afrf"});
  EXPECT_EQ(r.report_interval, 86400u);
  EXPECT_FALSE(r.policy_defaulted);
}

TEST(DmarcRecord, EveryTag) {
  ParsedDmarcRecord parsed = ParseDmarcRecord(
      "v=DMARC1;p=Reject; sp = none ;pct=25;adkim=s;aspf=S;"
      "rua=mailto:agg@example.com!10m, mailto:agg2@example.net;"
      "ruf=mailto:f@example.com!512;fo=1:d:s;rf=afrf:iodef;ri=3600;x-unknown=whatever;");
  ASSERT_TRUE(parsed.record) << parsed.error;
  const DmarcRecord& r = *parsed.record;
  EXPECT_EQ(r.policy, Policy::kReject);
  ASSERT_TRUE(r.subdomain_policy);
  EXPECT_EQ(*r.subdomain_policy, Policy::kNone);
  EXPECT_EQ(r.percent, 25);
  EXPECT_EQ(r.dkim_alignment, Alignment::kStrict);
  EXPECT_EQ(r.spf_alignment, Alignment::kStrict);
  ASSERT_EQ(r.aggregate_uris.size(), 2u);
  EXPECT_EQ(r.aggregate_uris[0].uri, "mailto:agg@example.com");
  EXPECT_EQ(r.aggregate_uris[0].max_bytes, 10u << 20);
  EXPECT_EQ(r.aggregate_uris[1].uri, "mailto:agg2@example.net");
  EXPECT_EQ(r.aggregate_uris[1].max_bytes, 0u);
  ASSERT_EQ(r.failure_uris.size(), 1u);
  EXPECT_EQ(r.failure_uris[0].max_bytes, 512u);
  EXPECT_EQ(r.failure_options, (std::vector<std::string>{"1", "d", "s"}));
  EXPECT_EQ(r.report_formats, (std::vector<std::string>{"afrf", "iodef"}));
  EXPECT_EQ(r.report_interval, 3600u);
}

TEST(DmarcRecord, ValidityTable) {
  struct Case {
    const char* text;
    bool valid;
    Policy want_policy;  // when valid
    bool want_defaulted;
  } cases[] = {
      {"v=DMARC1; p=none", true, Policy::kNone, false},
      {"v=DMARC1;p=reject;", true, Policy::kReject, false},
      {"v=DMARC1 ; p=reject ;; ", true, Policy::kReject, false},
      {"v=DMARC1; p=reject; unknown=1", true, Policy::kReject, false},
      {"v=DMARC1; pct=0; p=reject", true, Policy::kReject, false},
      {"v=DMARC1; p=reject; pct=100", true, Policy::kReject, false},
      // 6.6.3 step 6: missing or invalid p (or invalid sp) with a valid rua.
      {"v=DMARC1; rua=mailto:r@example.com", true, Policy::kNone, true},
      {"v=DMARC1; p=bogus; rua=mailto:r@example.com", true, Policy::kNone, true},
      {"v=DMARC1; p=reject; sp=bogus; rua=mailto:r@example.com", true, Policy::kNone, true},
      // ... and without one: no usable record.
      {"v=DMARC1", false, Policy::kNone, false},
      {"v=DMARC1; p=bogus", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; sp=bogus", false, Policy::kNone, false},
      {"v=DMARC1; p=bogus; rua=not a uri", false, Policy::kNone, false},
      // Syntax errors in known tags.
      {"v=DMARC1; p=reject; pct=101", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; pct=-1", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; pct=50.5", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; pct=", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; adkim=x", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; aspf=relaxed", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; fo=2", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; fo=1:", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; ri=soon", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; ri=99999999999", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; junk", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; =x", false, Policy::kNone, false},
      {"v=DMARC1; p=reject; p=none", false, Policy::kNone, false},
      {"v=spf1 -all", false, Policy::kNone, false},
  };
  for (const Case& c : cases) {
    ParsedDmarcRecord parsed = ParseDmarcRecord(c.text);
    EXPECT_EQ(parsed.record.has_value(), c.valid)
        << c.text << ": got error '" << parsed.error << "'";
    if (!c.valid) {
      EXPECT_FALSE(parsed.error.empty()) << c.text;
      continue;
    }
    if (!parsed.record) continue;
    EXPECT_EQ(parsed.record->policy, c.want_policy) << c.text;
    EXPECT_EQ(parsed.record->policy_defaulted, c.want_defaulted) << c.text;
  }
}

TEST(DmarcRecord, ReportUris) {
  struct Case {
    const char* rua;
    std::vector<std::string> want_uris;
    std::vector<uint64_t> want_sizes;
  } cases[] = {
      {"mailto:a@example.com", {"mailto:a@example.com"}, {0}},
      {"mailto:a@example.com!1k", {"mailto:a@example.com"}, {1024}},
      {"mailto:a@example.com!2G", {"mailto:a@example.com"}, {uint64_t{2} << 30}},
      {"mailto:a@example.com!1t", {"mailto:a@example.com"}, {uint64_t{1} << 40}},
      {" mailto:a@example.com , https://r.example.com/x ",
       {"mailto:a@example.com", "https://r.example.com/x"},
       {0, 0}},
      // Invalid entries are dropped, valid ones kept.
      {"nonsense, mailto:b@example.com", {"mailto:b@example.com"}, {0}},
      {"mailto:a@example.com!1x", {}, {}},
      {"mailto:a@example.com!", {}, {}},
      {"mailto:", {}, {}},
      {":x", {}, {}},
      {"", {}, {}},
  };
  for (const Case& c : cases) {
    ParsedDmarcRecord parsed = ParseDmarcRecord(std::string("v=DMARC1; p=none; rua=") + c.rua);
    ASSERT_TRUE(parsed.record) << c.rua << ": " << parsed.error;
    std::vector<std::string> uris;
    std::vector<uint64_t> sizes;
    for (const ReportUri& uri : parsed.record->aggregate_uris) {
      uris.push_back(uri.uri);
      sizes.push_back(uri.max_bytes);
    }
    EXPECT_EQ(uris, c.want_uris) << c.rua;
    EXPECT_EQ(sizes, c.want_sizes) << c.rua;
  }
}

TEST(DmarcRecord, PolicyNamesAndNextLower) {
  EXPECT_EQ(PolicyName(Policy::kReject), "reject");
  EXPECT_EQ(PolicyName(Policy::kQuarantine), "quarantine");
  EXPECT_EQ(PolicyName(Policy::kNone), "none");
  EXPECT_EQ(NextLowerPolicy(Policy::kReject), Policy::kQuarantine);
  EXPECT_EQ(NextLowerPolicy(Policy::kQuarantine), Policy::kNone);
  EXPECT_EQ(NextLowerPolicy(Policy::kNone), Policy::kNone);
}

}  // namespace
}  // namespace portcullis::dmarc
