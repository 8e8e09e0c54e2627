// RFC 7489 3.1 alignment, 6.6.2 result, 6.6.3 sp, 6.6.4 pct sampling.
#include "dmarc_evaluate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portcullis::dmarc {
namespace {

std::shared_ptr<const PublicSuffixList> SmallList() {
  std::string error;
  auto list = PublicSuffixList::Load(PORTCULLIS_DMARC_TEST_DATA "/psl_small.dat", PslSections::kAll,
                                     &error);
  EXPECT_TRUE(list) << error;
  return list;
}

TEST(DmarcEvaluate, AlignmentTable) {
  auto psl = SmallList();
  ASSERT_TRUE(psl);
  struct Case {
    const char* author;
    const char* authenticated;
    bool want_relaxed;
    bool want_strict;
  } cases[] = {
      {"example.com", "example.com", true, true},
      {"example.com", "EXAMPLE.com.", true, true},
      {"mail.example.com", "example.com", true, false},
      {"example.com", "bounce.example.com", true, false},
      {"a.example.com", "b.example.com", true, false},
      {"example.com", "example.net", false, false},
      {"example.com", "", false, false},
      {"example.com", "notexample.com", false, false},
      // Multi-label suffix: co.uk is not an organization.
      {"a.example.co.uk", "b.example.co.uk", true, false},
      {"example.co.uk", "other.co.uk", false, false},
      // A From domain that is itself a public suffix aligns only with itself.
      {"co.uk", "co.uk", true, true},
      {"co.uk", "example.co.uk", false, false},
      // PRIVATE-section suffix: two tenants are two organizations.
      {"shop.hosted.com", "evil.hosted.com", false, false},
      {"a.shop.hosted.com", "shop.hosted.com", true, false},
      // Wildcard suffix *.wild.
      {"a.b.x.wild", "c.b.x.wild", true, false},
      {"a.x.wild", "b.x.wild", false, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsAligned(*psl, c.author, c.authenticated, Alignment::kRelaxed), c.want_relaxed)
        << c.author << " vs " << c.authenticated << " relaxed";
    EXPECT_EQ(IsAligned(*psl, c.author, c.authenticated, Alignment::kStrict), c.want_strict)
        << c.author << " vs " << c.authenticated << " strict";
  }
}

Discovery Found(const std::string& text, const std::string& domain, bool fallback) {
  Discovery d = DiscoveryFromAnswer(
      [&] {
        dns::Answer answer;
        answer.status = dns::Status::kOk;
        answer.texts = {text};
        return answer;
      }(),
      domain);
  EXPECT_EQ(d.status, DiscoveryStatus::kFound) << text << ": " << d.error;
  d.at_organizational_domain = fallback;
  return d;
}

Discovery WithStatus(DiscoveryStatus status) {
  Discovery d;
  d.status = status;
  d.error = "why";
  return d;
}

TEST(DmarcEvaluate, ResultAndPolicyTable) {
  auto psl = SmallList();
  ASSERT_TRUE(psl);
  const AuthFacts nothing;
  const AuthFacts spf_pass{"pass", "example.com", {}};
  const AuthFacts spf_pass_sub{"pass", "bounce.example.com", {}};
  const AuthFacts spf_pass_other{"pass", "example.net", {}};
  const AuthFacts spf_fail{"fail", "example.com", {}};
  const AuthFacts dkim_pass{"none", "", {{"fail", "example.net"}, {"pass", "example.com"}}};
  const AuthFacts dkim_pass_sub{"", "", {{"pass", "news.example.com"}}};
  const AuthFacts dkim_fail_aligned{"", "", {{"fail", "example.com"}, {"pass", "example.net"}}};
  struct Case {
    const char* name;
    const char* author;
    Discovery discovery;
    AuthFacts facts;
    double draw;
    DmarcResult want;
    Policy want_requested;
    Policy want_applied;
    bool want_sampled_out;
  } cases[] = {
      {"spf aligned pass", "example.com", Found("v=DMARC1; p=reject", "example.com", false),
       spf_pass, 0, DmarcResult::kPass, Policy::kReject, Policy::kNone, false},
      {"spf relaxed subdomain", "example.com", Found("v=DMARC1; p=reject", "example.com", false),
       spf_pass_sub, 0, DmarcResult::kPass, Policy::kReject, Policy::kNone, false},
      {"spf strict subdomain", "example.com",
       Found("v=DMARC1; p=reject; aspf=s", "example.com", false), spf_pass_sub, 0,
       DmarcResult::kFail, Policy::kReject, Policy::kReject, false},
      {"spf unaligned", "example.com", Found("v=DMARC1; p=reject", "example.com", false),
       spf_pass_other, 0, DmarcResult::kFail, Policy::kReject, Policy::kReject, false},
      {"spf aligned but fail", "example.com", Found("v=DMARC1; p=quarantine", "example.com", false),
       spf_fail, 0, DmarcResult::kFail, Policy::kQuarantine, Policy::kQuarantine, false},
      {"any dkim aligned pass", "example.com", Found("v=DMARC1; p=reject", "example.com", false),
       dkim_pass, 0, DmarcResult::kPass, Policy::kReject, Policy::kNone, false},
      {"dkim relaxed subdomain", "example.com", Found("v=DMARC1; p=reject", "example.com", false),
       dkim_pass_sub, 0, DmarcResult::kPass, Policy::kReject, Policy::kNone, false},
      {"dkim strict subdomain", "example.com",
       Found("v=DMARC1; p=reject; adkim=s", "example.com", false), dkim_pass_sub, 0,
       DmarcResult::kFail, Policy::kReject, Policy::kReject, false},
      {"dkim aligned fail, unaligned pass", "example.com",
       Found("v=DMARC1; p=reject", "example.com", false), dkim_fail_aligned, 0, DmarcResult::kFail,
       Policy::kReject, Policy::kReject, false},
      {"nothing", "example.com", Found("v=DMARC1; p=none", "example.com", false), nothing, 0,
       DmarcResult::kFail, Policy::kNone, Policy::kNone, false},
      // 6.3 sp: only through the Organizational Domain fallback.
      {"sp via fallback", "mail.example.com",
       Found("v=DMARC1; p=reject; sp=quarantine", "example.com", true), nothing, 0,
       DmarcResult::kFail, Policy::kQuarantine, Policy::kQuarantine, false},
      {"no sp via fallback: p", "mail.example.com",
       Found("v=DMARC1; p=reject", "example.com", true), nothing, 0, DmarcResult::kFail,
       Policy::kReject, Policy::kReject, false},
      {"sp ignored at the org domain itself", "example.com",
       Found("v=DMARC1; p=reject; sp=none", "example.com", false), nothing, 0, DmarcResult::kFail,
       Policy::kReject, Policy::kReject, false},
      {"sp ignored for the subdomain's own record", "mail.example.com",
       Found("v=DMARC1; p=reject; sp=none", "mail.example.com", false), nothing, 0,
       DmarcResult::kFail, Policy::kReject, Policy::kReject, false},
      {"fallback pass with relaxed dkim", "mail.example.com",
       Found("v=DMARC1; p=reject", "example.com", true), dkim_pass, 0, DmarcResult::kPass,
       Policy::kReject, Policy::kNone, false},
      // 6.6.4 pct with a fixed draw in [0, 100).
      {"pct=0 draw 0", "example.com", Found("v=DMARC1; p=reject; pct=0", "example.com", false),
       nothing, 0, DmarcResult::kFail, Policy::kReject, Policy::kQuarantine, true},
      {"pct=50 draw 49.9", "example.com", Found("v=DMARC1; p=reject; pct=50", "example.com", false),
       nothing, 49.9, DmarcResult::kFail, Policy::kReject, Policy::kReject, false},
      {"pct=50 draw 50", "example.com", Found("v=DMARC1; p=reject; pct=50", "example.com", false),
       nothing, 50, DmarcResult::kFail, Policy::kReject, Policy::kQuarantine, true},
      {"pct=50 quarantine sampled out", "example.com",
       Found("v=DMARC1; p=quarantine; pct=50", "example.com", false), nothing, 75,
       DmarcResult::kFail, Policy::kQuarantine, Policy::kNone, true},
      {"pct=100 draw 99.99", "example.com",
       Found("v=DMARC1; p=reject; pct=100", "example.com", false), nothing, 99.99,
       DmarcResult::kFail, Policy::kReject, Policy::kReject, false},
      {"pct does not touch a pass", "example.com",
       Found("v=DMARC1; p=reject; pct=0", "example.com", false), spf_pass, 99, DmarcResult::kPass,
       Policy::kReject, Policy::kNone, false},
      // 6.6.3 step 6: p defaulted to none through a valid rua.
      {"defaulted p", "example.com",
       Found("v=DMARC1; p=bogus; rua=mailto:r@example.com", "example.com", false), nothing, 0,
       DmarcResult::kFail, Policy::kNone, Policy::kNone, false},
      // PSL edge: a From domain that is itself a public suffix.
      {"public-suffix author, dkim d= of a registrant", "co.uk",
       Found("v=DMARC1; p=reject", "co.uk", false), AuthFacts{"", "", {{"pass", "example.co.uk"}}},
       0, DmarcResult::kFail, Policy::kReject, Policy::kReject, false},
      {"private suffix tenant cannot sign for another", "shop.hosted.com",
       Found("v=DMARC1; p=reject", "shop.hosted.com", false),
       AuthFacts{"pass", "evil.hosted.com", {{"pass", "evil.hosted.com"}}}, 0, DmarcResult::kFail,
       Policy::kReject, Policy::kReject, false},
      // An aligned identifier with a transient error: temperror, not fail.
      {"aligned spf temperror", "example.com", Found("v=DMARC1; p=reject", "example.com", false),
       AuthFacts{"temperror", "example.com", {}}, 0, DmarcResult::kTemperror, Policy::kReject,
       Policy::kNone, false},
      {"aligned dkim temperror", "example.com", Found("v=DMARC1; p=reject", "example.com", false),
       AuthFacts{"fail", "example.com", {{"temperror", "example.com"}}}, 0, DmarcResult::kTemperror,
       Policy::kReject, Policy::kNone, false},
      {"unaligned spf temperror still fails", "example.com",
       Found("v=DMARC1; p=reject", "example.com", false), AuthFacts{"temperror", "example.net", {}},
       0, DmarcResult::kFail, Policy::kReject, Policy::kReject, false},
      {"temperror but an aligned pass", "example.com",
       Found("v=DMARC1; p=reject", "example.com", false),
       AuthFacts{"temperror", "example.com", {{"pass", "example.com"}}}, 0, DmarcResult::kPass,
       Policy::kReject, Policy::kNone, false},
      // Discovery outcomes other than a record.
      {"no record", "example.com", WithStatus(DiscoveryStatus::kNone), spf_pass, 0,
       DmarcResult::kNone, Policy::kNone, Policy::kNone, false},
      {"two records", "example.com", WithStatus(DiscoveryStatus::kMultiple), nothing, 0,
       DmarcResult::kNone, Policy::kNone, Policy::kNone, false},
      {"broken record", "example.com", WithStatus(DiscoveryStatus::kInvalid), nothing, 0,
       DmarcResult::kPermerror, Policy::kNone, Policy::kNone, false},
      {"temperror", "example.com", WithStatus(DiscoveryStatus::kTempError), nothing, 0,
       DmarcResult::kTemperror, Policy::kNone, Policy::kNone, false},
  };
  for (const Case& c : cases) {
    Verdict got = Evaluate(*psl, c.author, c.discovery, c.facts, c.draw);
    EXPECT_EQ(DmarcResultName(got.result), DmarcResultName(c.want)) << c.name << ": " << got.reason;
    EXPECT_EQ(PolicyName(got.requested), PolicyName(c.want_requested)) << c.name;
    EXPECT_EQ(PolicyName(got.applied), PolicyName(c.want_applied)) << c.name;
    EXPECT_EQ(got.sampled_out, c.want_sampled_out) << c.name;
    EXPECT_EQ(got.author_domain, c.author) << c.name;
    EXPECT_FALSE(got.reason.empty()) << c.name;
  }
}

}  // namespace
}  // namespace portcullis::dmarc
