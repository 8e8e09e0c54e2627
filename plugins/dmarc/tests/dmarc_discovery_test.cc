// RFC 7489 6.6.3 policy discovery on the FakeResolver.
#include "dmarc_discovery.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_resolver.h"

namespace portcullis::dmarc {
namespace {

using portcullis::testing::FakeResolver;

struct Txt {
  std::string name;
  std::vector<std::string> texts;
};

TEST(DmarcDiscovery, Table) {
  struct Case {
    const char* name;
    std::vector<Txt> zone;
    std::vector<std::string> temperror;  // names whose TXT lookup fails
    const char* author;
    const char* org;
    DiscoveryStatus want;
    const char* want_domain;
    bool want_fallback;
    Policy want_policy;
    int want_lookups;
  } cases[] = {
      {"at the author domain",
       {{"_dmarc.example.com", {"v=DMARC1; p=reject"}}},
       {},
       "example.com",
       "example.com",
       DiscoveryStatus::kFound,
       "example.com",
       false,
       Policy::kReject,
       1},
      {"other TXT ignored",
       {{"_dmarc.example.com", {"v=spf1 -all", "v=DMARC1; p=quarantine"}}},
       {},
       "example.com",
       "example.com",
       DiscoveryStatus::kFound,
       "example.com",
       false,
       Policy::kQuarantine,
       1},
      {"fallback to the organizational domain",
       {{"_dmarc.example.com", {"v=DMARC1; p=reject; sp=quarantine"}}},
       {},
       "mail.example.com",
       "example.com",
       DiscoveryStatus::kFound,
       "example.com",
       true,
       Policy::kReject,
       2},
      {"subdomain's own record wins",
       {{"_dmarc.example.com", {"v=DMARC1; p=reject"}},
        {"_dmarc.mail.example.com", {"v=DMARC1; p=none"}}},
       {},
       "mail.example.com",
       "example.com",
       DiscoveryStatus::kFound,
       "mail.example.com",
       false,
       Policy::kNone,
       1},
      {"non-DMARC text at the subdomain falls back",
       {{"_dmarc.example.com", {"v=DMARC1; p=reject"}}, {"_dmarc.mail.example.com", {"hello"}}},
       {},
       "mail.example.com",
       "example.com",
       DiscoveryStatus::kFound,
       "example.com",
       true,
       Policy::kReject,
       2},
      {"no record anywhere",
       {},
       {},
       "mail.example.com",
       "example.com",
       DiscoveryStatus::kNone,
       "example.com",
       true,
       Policy::kNone,
       2},
      {"no second lookup for the org domain itself",
       {},
       {},
       "example.com",
       "example.com",
       DiscoveryStatus::kNone,
       "example.com",
       false,
       Policy::kNone,
       1},
      {"two records: no policy, no fallback",
       {{"_dmarc.example.com", {"v=DMARC1; p=reject"}},
        {"_dmarc.mail.example.com", {"v=DMARC1; p=none", "v=DMARC1; p=reject"}}},
       {},
       "mail.example.com",
       "example.com",
       DiscoveryStatus::kMultiple,
       "mail.example.com",
       false,
       Policy::kNone,
       1},
      {"broken record: no fallback",
       {{"_dmarc.example.com", {"v=DMARC1; p=reject"}},
        {"_dmarc.mail.example.com", {"v=DMARC1; p=reject; pct=200"}}},
       {},
       "mail.example.com",
       "example.com",
       DiscoveryStatus::kInvalid,
       "mail.example.com",
       false,
       Policy::kNone,
       1},
      {"temperror at the author domain",
       {},
       {"_dmarc.mail.example.com"},
       "mail.example.com",
       "example.com",
       DiscoveryStatus::kTempError,
       "mail.example.com",
       false,
       Policy::kNone,
       1},
      {"temperror at the org domain",
       {},
       {"_dmarc.example.com"},
       "mail.example.com",
       "example.com",
       DiscoveryStatus::kTempError,
       "example.com",
       true,
       Policy::kNone,
       2},
  };
  for (const Case& c : cases) {
    for (bool async : {false, true}) {
      FakeResolver resolver;
      for (const Txt& txt : c.zone) resolver.AddTxt(txt.name, txt.texts);
      for (const std::string& name : c.temperror) {
        resolver.SetStatus(name, dns::RecordType::kTxt, dns::Status::kTempError, "timeout");
      }
      resolver.set_async(async);
      auto pending =
          StartDiscovery(resolver, c.author, c.org, Deadline::After(std::chrono::seconds(5)));
      auto got = pending->WaitUntil(Deadline::After(std::chrono::seconds(5)));
      ASSERT_TRUE(got) << c.name;
      const std::string label = std::string(c.name) + (async ? " (async)" : " (inline)");
      EXPECT_EQ(got->status, c.want) << label << ": " << got->error;
      EXPECT_EQ(got->record_domain, c.want_domain) << label;
      EXPECT_EQ(got->at_organizational_domain, c.want_fallback) << label;
      if (c.want == DiscoveryStatus::kFound) {
        EXPECT_EQ(got->record.policy, c.want_policy) << label;
      }
      if (c.want != DiscoveryStatus::kFound && c.want != DiscoveryStatus::kNone) {
        EXPECT_FALSE(got->error.empty()) << label;
      }
      EXPECT_EQ(resolver.lookups(), c.want_lookups) << label;
      resolver.set_async(false);
    }
  }
}

}  // namespace
}  // namespace portcullis::dmarc
