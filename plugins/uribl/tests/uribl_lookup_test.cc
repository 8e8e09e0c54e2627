// Which names the check asks, when, and how many: query names, dedup,
// max_lookups, exclusions, authenticated senders.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "test_support.h"
#include "uribl_instance.h"
#include "uribl_names.h"

namespace portcullis::uribl {
namespace {

using portcullis::testing::FakeResolver;
using std::chrono::milliseconds;
using testing::Bool;
using testing::DblList;
using testing::DomainUrl;
using testing::IpUrl;
using testing::MakeCheck;
using testing::Num;
using testing::Options;
using testing::Str;
using testing::Strings;
using testing::SurblList;
using testing::SymbolList;
using testing::Transaction;

TEST(UriblNames, QueryNames) {
  ConfigErrors errors;
  ConfigValue tree = Options({SurblList({{"ipv6", Bool(true)}}), DblList()});
  ConfigReader reader(&tree, "checks.uribl", "portcullis.lua", &errors);
  auto config = ReadUriblConfig(reader);
  ASSERT_TRUE(config);
  const UriblList& surbl = config->lists[0];  // type both, ipv6
  const UriblList& dbl = config->lists[1];    // type domain
  struct Case {
    std::string name;
    mime::Url url;
    std::string want_surbl;  // "" = not asked
    std::string want_dbl;
  };
  const std::vector<Case> cases = {
      {"registered domain under a two-level suffix",
       DomainUrl("sub.domain.example.co.uk", "example.co.uk"), "example.co.uk.multi.surbl.org",
       "example.co.uk.dbl.spamhaus.org"},
      {"upper case and trailing dot", DomainUrl("WWW.Spam.Example.", "Spam.Example."),
       "spam.example.multi.surbl.org", "spam.example.dbl.spamhaus.org"},
      {"a public suffix itself (no registered domain)", DomainUrl("co.uk", ""), "", ""},
      {"junk registered domain", DomainUrl("x", "bad domain"), "", ""},
      {"IPv4 host, octets reversed", IpUrl("192.0.2.1"), "1.2.0.192.multi.surbl.org", ""},
      {"IPv4-mapped host asked as IPv4", IpUrl("::ffff:192.0.2.7"), "7.2.0.192.multi.surbl.org",
       ""},
      {"IPv6 host, nibbles", IpUrl("2001:db8::1"),
       "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.multi.surbl.org", ""},
      {"private address never asked", IpUrl("10.1.2.3"), "", ""},
      {"loopback never asked", IpUrl("127.0.0.1"), "", ""},
      {"unparsable IP host", IpUrl("999.1.1.1"), "", ""},
  };
  for (const Case& c : cases) {
    std::optional<Subject> subject = UrlSubject(c.url);
    std::string got_surbl;
    std::string got_dbl;
    if (subject) {
      got_surbl = QueryName(surbl, *subject).value_or("");
      got_dbl = QueryName(dbl, *subject).value_or("");
    }
    EXPECT_EQ(got_surbl, c.want_surbl) << c.name;
    EXPECT_EQ(got_dbl, c.want_dbl) << c.name;
  }
}

TEST(UriblNames, Ipv6OnlyWhereTheListSaysSo) {
  ConfigErrors errors;
  ConfigValue tree = Options({SurblList()});  // ipv6 defaults to false
  ConfigReader reader(&tree, "checks.uribl", "portcullis.lua", &errors);
  auto config = ReadUriblConfig(reader);
  ASSERT_TRUE(config);
  std::optional<Subject> subject = UrlSubject(IpUrl("2001:db8::1"));
  ASSERT_TRUE(subject);
  EXPECT_FALSE(QueryName(config->lists[0], *subject).has_value());
}

// Feeds `urls` to one instance's sink and finishes it.
struct Outcome {
  CheckResult result;
  int lookups_before_finish = 0;
};

Outcome RunUrls(const Check& check, FakeResolver& resolver, const std::vector<mime::Url>& urls,
                const std::string& auth = "",
                const std::vector<mime::EmailAddress>& addresses = {}) {
  Transaction t;
  t.message.mail_from = "someone@sender.example";
  t.message.auth_authen = auth;
  auto instance = check.NewInstance();
  EXPECT_FALSE(instance->OnMailFrom(t.info()));
  mime::Sink* sink = instance->MimeSink();
  EXPECT_NE(sink, nullptr);
  Outcome run;
  if (!sink) return run;
  for (const mime::Url& url : urls) sink->OnUrl(url);
  for (const mime::EmailAddress& address : addresses) sink->OnEmailAddress(address);
  run.lookups_before_finish = resolver.lookups();
  run.result = instance->Finish(t.info(), Deadline::After(milliseconds(2000)));
  return run;
}

TEST(UriblLookups, StagesAskForMime) {
  FakeResolver resolver;
  auto check = MakeCheck(Options({DblList()}), &resolver);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->stages() & kStageMime);
  EXPECT_TRUE(check->stages() & kStageMailFrom);
}

TEST(UriblLookups, StartedAtOnUrlNotAtFinish) {
  FakeResolver resolver;
  resolver.AddA("phish.example.dbl.spamhaus.org", {"127.0.1.4"});
  auto check = MakeCheck(Options({DblList()}), &resolver);
  ASSERT_TRUE(check);
  Transaction t;
  auto instance = check->NewInstance();
  instance->OnMailFrom(t.info());
  instance->MimeSink()->OnUrl(DomainUrl("www.phish.example", "phish.example"));
  // Got: the query before Finish is called; want: exactly one.
  EXPECT_EQ(resolver.LookupsOf("phish.example.dbl.spamhaus.org", dns::RecordType::kA), 1);
  CheckResult result = instance->Finish(t.info(), Deadline::After(milliseconds(2000)));
  EXPECT_EQ(SymbolList(result), "URIBL_DBL_PHISH(6)");
  EXPECT_EQ(resolver.lookups(), 1);  // Finish asked nothing more
}

TEST(UriblLookups, DedupOneQueryPerListPerDomain) {
  FakeResolver resolver;
  auto check = MakeCheck(Options({SurblList(), DblList()}), &resolver);
  ASSERT_TRUE(check);
  std::vector<mime::Url> urls;
  for (int i = 0; i < 10; ++i) {
    urls.push_back(DomainUrl("host" + std::to_string(i) + ".spam.example", "spam.example"));
  }
  Outcome run = RunUrls(*check, resolver, urls);
  EXPECT_EQ(resolver.LookupsOf("spam.example.multi.surbl.org", dns::RecordType::kA), 1);
  EXPECT_EQ(resolver.LookupsOf("spam.example.dbl.spamhaus.org", dns::RecordType::kA), 1);
  EXPECT_EQ(resolver.lookups(), 2);
  EXPECT_EQ(run.result.status, CheckStatus::kPass);
  EXPECT_EQ(SymbolList(run.result), "");
}

TEST(UriblLookups, MaxLookupsBoundsQueries) {
  struct Case {
    std::string name;
    std::vector<ConfigValue> lists;
    testing::Fields extra;
    int domains;
    int want_queries;
    std::string want_symbols;
  };
  std::vector<Case> cases;
  cases.push_back({"default 20, one list", {DblList()}, {}, 100, 20, "URIBL_LIMIT(0)"});
  cases.push_back({"exactly at the limit", {DblList()}, {}, 20, 20, ""});
  cases.push_back({"two lists: a domain is asked on both or neither",
                   {SurblList(), DblList()},
                   {{"max_lookups", Num(5)}},
                   10,
                   4,
                   "URIBL_LIMIT(0)"});
  cases.push_back(
      {"scored limit",
       {DblList()},
       {{"max_lookups", Num(3)}, {"scores", testing::Table({{"URIBL_LIMIT", Num(1.5)}})}},
       4,
       3,
       "URIBL_LIMIT(1.5)"});
  for (Case& c : cases) {
    FakeResolver resolver;
    auto check = MakeCheck(Options(std::move(c.lists), std::move(c.extra)), &resolver);
    ASSERT_TRUE(check) << c.name;
    std::vector<mime::Url> urls;
    for (int i = 0; i < c.domains; ++i) {
      std::string domain = "d" + std::to_string(i) + ".example";
      urls.push_back(DomainUrl(domain, domain));
    }
    Outcome run = RunUrls(*check, resolver, urls);
    EXPECT_EQ(resolver.lookups(), c.want_queries) << c.name;
    EXPECT_EQ(SymbolList(run.result), c.want_symbols) << c.name;
  }
}

TEST(UriblLookups, ExcludedDomainsNotAsked) {
  FakeResolver resolver;
  auto check = MakeCheck(
      Options({DblList()},
              {{"exclude_domains", Strings({"our-company.example"})}, {"max_lookups", Num(1)}}),
      &resolver);
  ASSERT_TRUE(check);
  Outcome run =
      RunUrls(*check, resolver,
              {DomainUrl("www.w3.org", "w3.org"), DomainUrl("docs.google.com", "google.com"),
               DomainUrl("mail.our-company.example", "our-company.example"),
               DomainUrl("spam.example", "spam.example")});
  EXPECT_EQ(resolver.LookupsOf("w3.org.dbl.spamhaus.org", dns::RecordType::kA), 0);
  EXPECT_EQ(resolver.LookupsOf("google.com.dbl.spamhaus.org", dns::RecordType::kA), 0);
  EXPECT_EQ(resolver.LookupsOf("our-company.example.dbl.spamhaus.org", dns::RecordType::kA), 0);
  // Excluded domains use no budget: the one allowed lookup is spam.example.
  EXPECT_EQ(resolver.LookupsOf("spam.example.dbl.spamhaus.org", dns::RecordType::kA), 1);
  EXPECT_EQ(SymbolList(run.result), "");
}

TEST(UriblLookups, ObfuscatedUrlsStillAsked) {
  FakeResolver resolver;
  resolver.AddA("hidden.example.dbl.spamhaus.org", {"127.0.1.2"});
  auto check = MakeCheck(Options({DblList()}), &resolver);
  ASSERT_TRUE(check);
  Outcome run = RunUrls(*check, resolver, {DomainUrl("hidden.example", "hidden.example", true)});
  EXPECT_EQ(SymbolList(run.result), "URIBL_DBL_SPAM(5)");
}

TEST(UriblLookups, IpHostsOnlyOnListsThatTakeThem) {
  FakeResolver resolver;
  resolver.AddA("9.2.0.192.multi.surbl.org", {"127.0.0.16"});
  auto check = MakeCheck(Options({SurblList(), DblList()}), &resolver);
  ASSERT_TRUE(check);
  Outcome run = RunUrls(*check, resolver, {IpUrl("192.0.2.9")});
  EXPECT_EQ(resolver.lookups(), 1);  // DBL takes no IPs
  EXPECT_EQ(SymbolList(run.result), "URIBL_SURBL_MW(5)");
  EXPECT_EQ(testing::DetailOf(run.result, "URIBL_SURBL_MW"),
            "multi.surbl.org 192.0.2.9(127.0.0.16)");
}

TEST(UriblLookups, EmailDomainsOnlyOnListsThatAskForThem) {
  mime::EmailAddress address;
  address.address = "scammer@mail.fraud.example";
  address.domain = "mail.fraud.example";
  address.registered_domain = "fraud.example";
  struct Case {
    std::string name;
    std::vector<std::string> identities;  // empty: the default (url)
    int want_queries;
  };
  const std::vector<Case> cases = {
      {"default: urls only", {}, 0},
      {"url and email", {"url", "email"}, 1},
      {"email only", {"email"}, 1},
  };
  for (const Case& c : cases) {
    FakeResolver resolver;
    testing::Fields extra;
    if (!c.identities.empty()) extra.push_back({"identities", Strings(c.identities)});
    auto check = MakeCheck(Options({DblList(std::move(extra))}), &resolver);
    ASSERT_TRUE(check) << c.name;
    RunUrls(*check, resolver, {}, "", {address});
    EXPECT_EQ(resolver.LookupsOf("fraud.example.dbl.spamhaus.org", dns::RecordType::kA),
              c.want_queries)
        << c.name;
  }
}

TEST(UriblLookups, EmailOnlyListIgnoresUrls) {
  FakeResolver resolver;
  auto check = MakeCheck(Options({DblList({{"identities", Strings({"email"})}})}), &resolver);
  ASSERT_TRUE(check);
  RunUrls(*check, resolver, {DomainUrl("spam.example", "spam.example")});
  EXPECT_EQ(resolver.lookups(), 0);
}

TEST(UriblLookups, AuthenticatedSenderSkipped) {
  struct Case {
    std::string name;
    bool skip_authenticated;
    std::string auth;
    int want_queries;
    std::string want_symbols;
  };
  const std::vector<Case> cases = {
      {"unauthenticated", true, "", 1, "URIBL_DBL_SPAM(5)"},
      {"authenticated, skipped", true, "alice", 0, ""},
      {"authenticated, skip_authenticated = false", false, "alice", 1, "URIBL_DBL_SPAM(5)"},
  };
  for (const Case& c : cases) {
    FakeResolver resolver;
    resolver.AddA("spam.example.dbl.spamhaus.org", {"127.0.1.2"});
    auto check = MakeCheck(
        Options({DblList()}, {{"skip_authenticated", Bool(c.skip_authenticated)}}), &resolver);
    ASSERT_TRUE(check) << c.name;
    Outcome run = RunUrls(*check, resolver, {DomainUrl("spam.example", "spam.example")}, c.auth);
    EXPECT_EQ(resolver.lookups(), c.want_queries) << c.name;
    EXPECT_EQ(SymbolList(run.result), c.want_symbols) << c.name;
  }
}

TEST(UriblLookups, NoResolverNoLookups) {
  auto check = MakeCheck(Options({DblList()}), nullptr);
  ASSERT_TRUE(check);
  FakeResolver unused;
  Outcome run = RunUrls(*check, unused, {DomainUrl("spam.example", "spam.example")});
  EXPECT_EQ(run.result.status, CheckStatus::kNone);
  EXPECT_TRUE(run.result.symbols.empty());
}

}  // namespace
}  // namespace portcullis::uribl
