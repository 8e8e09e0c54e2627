#include "dnsbl_check.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "fake_resolver.h"
#include "test_support.h"

namespace portcullis::dnsbl {
namespace {

using portcullis::testing::FakeResolver;
using std::chrono::milliseconds;
using testing::Bool;
using testing::Items;
using testing::MakeCheck;
using testing::Num;
using testing::Str;
using testing::Strings;
using testing::Sym;
using testing::SymbolList;
using testing::Table;
using testing::Transaction;
using testing::ZenList;

constexpr char kZenName[] = "99.2.0.192.zen.spamhaus.org";  // for client 192.0.2.99

struct Message {
  std::string client = "192.0.2.99";
  std::string helo = "mx.helo.example";
  std::string sender = "someone@sender.example";
  std::string from_header = " Someone <someone@from.example>";
  std::string auth;
  std::vector<std::string> recipients = {"user@example.org"};
};

struct Outcome {
  std::vector<std::optional<ActionRequest>> rcpt;
  CheckResult result;
};

// One message through every stage the check may ask for.
Outcome RunMessage(const Check& check, const Message& message,
                   Deadline finish = Deadline::After(milliseconds(2000))) {
  Transaction t;
  if (!message.client.empty()) {
    t.connection.client_addr = IpAddress::Parse(message.client);
    t.connection.client_addr_text = message.client;
  }
  t.connection.helo = message.helo;
  t.message.mail_from = message.sender;
  t.message.auth_authen = message.auth;
  auto instance = check.NewInstance();
  Outcome outcome;
  EXPECT_FALSE(instance->OnConnect(t.info()));
  EXPECT_FALSE(instance->OnHelo(t.info()));
  EXPECT_FALSE(instance->OnMailFrom(t.info()));
  for (const std::string& recipient : message.recipients) {
    outcome.rcpt.push_back(instance->OnRcpt(t.info(), recipient));
    if (!outcome.rcpt.back()) t.message.recipients.push_back(recipient);
  }
  if (!message.from_header.empty()) t.message.headers.push_back({"From", message.from_header});
  t.message.headers.push_back({"Subject", " hello"});
  for (const HeaderField& header : t.message.headers) {
    instance->OnHeader(t.info(), header.name, header.value);
  }
  instance->OnEndOfHeaders(t.info());
  outcome.result = instance->Finish(t.info(), finish);
  return outcome;
}

ConfigValue Config(std::vector<ConfigValue> lists,
                   std::vector<std::pair<std::string, ConfigValue>> extra = {}) {
  std::vector<std::pair<std::string, ConfigValue>> fields = {{"lists", Items(std::move(lists), 7)}};
  for (auto& field : extra) fields.push_back(std::move(field));
  return Table(std::move(fields), 6);
}

ConfigValue DblList(std::vector<std::pair<std::string, ConfigValue>> extra = {}) {
  std::vector<std::pair<std::string, ConfigValue>> fields = {
      {"zone", Str("dbl.example")},
      {"type", Str("domain")},
      {"codes", Table({{"127.0.1.2", Sym("DBL_SPAM", 5)}, {"127.0.1.4", Sym("DBL_PHISH", 6)}})},
  };
  for (auto& field : extra) fields.push_back(std::move(field));
  return Table(std::move(fields));
}

ConfigValue DnswlList(std::vector<std::pair<std::string, ConfigValue>> extra = {}) {
  std::vector<std::pair<std::string, ConfigValue>> fields = {
      {"zone", Str("list.dnswl.example")},
      {"allowlist", Bool(true)},
      {"codes", Table({{"127.0.15.1", Sym("RCVD_IN_DNSWL_LOW", -1)},
                       {"127.0.15.3", Sym("RCVD_IN_DNSWL_HI", -5)}})},
  };
  for (auto& field : extra) fields.push_back(std::move(field));
  return Table(std::move(fields));
}

TEST(DnsblCheck, IpListAnswersTable) {
  struct Case {
    const char* name;
    std::vector<std::string> answer;  // empty: NXDOMAIN
    std::optional<dns::Status> status;
    std::string want_symbols;
    CheckStatus want_status;
    std::string want_detail;  // of the first symbol
  } cases[] = {
      {"not listed (NXDOMAIN)", {}, std::nullopt, "", CheckStatus::kNone, ""},
      {"not listed (NODATA)", {}, dns::Status::kNoData, "", CheckStatus::kNone, ""},
      {"SBL",
       {"127.0.0.2"},
       std::nullopt,
       "RBL_ZEN_SBL(4)",
       CheckStatus::kFail,
       "zen.spamhaus.org 127.0.0.2"},
      {"XBL range",
       {"127.0.0.6"},
       std::nullopt,
       "RBL_ZEN_XBL(5)",
       CheckStatus::kFail,
       "zen.spamhaus.org 127.0.0.6"},
      {"several codes, several symbols",
       {"127.0.0.4", "127.0.0.10", "127.0.0.2"},
       std::nullopt,
       "RBL_ZEN_XBL(5) RBL_ZEN_PBL(2) RBL_ZEN_SBL(4)",
       CheckStatus::kFail,
       "zen.spamhaus.org 127.0.0.4"},
      {"two codes, one symbol once",
       {"127.0.0.4", "127.0.0.7"},
       std::nullopt,
       "RBL_ZEN_XBL(5)",
       CheckStatus::kFail,
       "zen.spamhaus.org 127.0.0.4, 127.0.0.7"},
      {"unknown code gets the default",
       {"127.0.0.200"},
       std::nullopt,
       "RBL_ZEN(3)",
       CheckStatus::kFail,
       "zen.spamhaus.org 127.0.0.200"},
      {"outside 127/8 is an error",
       {"192.0.2.1"},
       std::nullopt,
       "DNSBL_ERROR(0)",
       CheckStatus::kTemperror,
       "zen.spamhaus.org: 192.0.2.1 (outside 127.0.0.0/8, RFC 5782 2.3)"},
      {"public resolver code is an error",
       {"127.255.255.254"},
       std::nullopt,
       "DNSBL_ERROR(0)",
       CheckStatus::kTemperror,
       "zen.spamhaus.org: 127.255.255.254 (refused: query came through a public/open resolver)"},
      {"SERVFAIL is a temperror",
       {},
       dns::Status::kTempError,
       "DNSBL_TEMPERROR(0)",
       CheckStatus::kTemperror,
       "zen.spamhaus.org: SERVFAIL"},
  };
  for (const Case& c : cases) {
    FakeResolver resolver;
    if (!c.answer.empty()) resolver.AddA(kZenName, c.answer);
    if (c.status) {
      resolver.AddA(kZenName, {});  // the name exists
      resolver.SetStatus(kZenName, dns::RecordType::kA, *c.status, "SERVFAIL");
    }
    auto check = MakeCheck(Config({ZenList()}), &resolver);
    ASSERT_TRUE(check);
    Outcome got = RunMessage(*check, Message{});
    EXPECT_EQ(SymbolList(got.result), c.want_symbols) << c.name;
    EXPECT_EQ(got.result.status, c.want_status) << c.name;
    EXPECT_FALSE(got.result.request) << c.name << ": action = score never asks";
    EXPECT_FALSE(got.rcpt[0]) << c.name;
    if (!c.want_detail.empty() && !got.result.symbols.empty()) {
      EXPECT_EQ(got.result.symbols[0].detail, c.want_detail) << c.name;
    }
    EXPECT_EQ(resolver.LookupsOf(kZenName, dns::RecordType::kA), 1) << c.name;
  }
}

TEST(DnsblCheck, QueryNamesByClientTable) {
  struct Case {
    const char* name;
    std::string client;
    bool ipv6_option;
    std::string want_query;  // "" = no query at all
  } cases[] = {
      {"IPv4", "192.0.2.99", true, "99.2.0.192.zen.spamhaus.org"},
      {"IPv6 nibbles (RFC 5782 2.4)", "2001:db8:1:2:3:4:567:89ab", true,
       "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org"},
      {"IPv6 with ipv6 = false", "2001:db8::1", false, ""},
      {"IPv4-mapped is asked as IPv4", "::ffff:192.0.2.99", true, "99.2.0.192.zen.spamhaus.org"},
      {"IPv4-mapped with ipv6 = false", "::ffff:192.0.2.99", false, "99.2.0.192.zen.spamhaus.org"},
      {"no client address (unix socket)", "", true, ""},
      {"private client skipped", "10.1.2.3", true, ""},
      {"loopback skipped", "127.0.0.1", true, ""},
  };
  for (const Case& c : cases) {
    FakeResolver resolver;
    if (!c.want_query.empty()) resolver.AddA(c.want_query, {"127.0.0.2"});
    auto check = MakeCheck(Config({ZenList({{"ipv6", Bool(c.ipv6_option)}})}), &resolver);
    ASSERT_TRUE(check);
    Message message;
    message.client = c.client;
    Outcome got = RunMessage(*check, message);
    if (c.want_query.empty()) {
      EXPECT_EQ(resolver.lookups(), 0) << c.name;
      EXPECT_EQ(got.result.status, CheckStatus::kNone) << c.name;
      EXPECT_TRUE(got.result.symbols.empty()) << c.name;
    } else {
      EXPECT_EQ(resolver.lookups(), 1) << c.name;
      EXPECT_EQ(resolver.LookupsOf(c.want_query, dns::RecordType::kA), 1) << c.name;
      EXPECT_EQ(SymbolList(got.result), "RBL_ZEN_SBL(4)") << c.name;
    }
  }
}

TEST(DnsblCheck, PrivateClientsAreAskedWhenConfigured) {
  FakeResolver resolver;
  auto check = MakeCheck(Config({ZenList()}, {{"skip_private", Bool(false)}}), &resolver);
  Message message;
  message.client = "10.1.2.3";
  RunMessage(*check, message);
  EXPECT_EQ(resolver.LookupsOf("3.2.1.10.zen.spamhaus.org", dns::RecordType::kA), 1);
}

TEST(DnsblCheck, AllowlistScoresNegativeAndNeverRejects) {
  struct Case {
    const char* name;
    bool accept;
    std::vector<std::string> zen_answer;
    std::string want_symbols;
    CheckStatus want_status;
    std::optional<Action> want_request;
  } cases[] = {
      {"allowlisted", false, {}, "RCVD_IN_DNSWL_HI(-5)", CheckStatus::kPass, std::nullopt},
      {"allowlisted with accept",
       true,
       {},
       "RCVD_IN_DNSWL_HI(-5)",
       CheckStatus::kPass,
       Action::kAccept},
      {"allowlisted and blocklisted",
       false,
       {"127.0.0.2"},
       "RBL_ZEN_SBL(4) RCVD_IN_DNSWL_HI(-5)",
       CheckStatus::kFail,
       std::nullopt},
  };
  for (const Case& c : cases) {
    FakeResolver resolver;
    resolver.AddA("99.2.0.192.list.dnswl.example", {"127.0.15.3"});
    if (!c.zen_answer.empty()) resolver.AddA(kZenName, c.zen_answer);
    auto check = MakeCheck(Config({ZenList(), DnswlList({{"accept", Bool(c.accept)}})}), &resolver);
    ASSERT_TRUE(check) << c.name;
    Outcome got = RunMessage(*check, Message{});
    EXPECT_EQ(SymbolList(got.result), c.want_symbols) << c.name;
    EXPECT_EQ(got.result.status, c.want_status) << c.name;
    EXPECT_FALSE(got.rcpt[0]) << c.name << ": an allowlist never rejects";
    if (c.want_request) {
      ASSERT_TRUE(got.result.request) << c.name;
      EXPECT_EQ(got.result.request->action, *c.want_request) << c.name;
      EXPECT_EQ(got.result.request->reason, "RCVD_IN_DNSWL_HI") << c.name;
    } else {
      EXPECT_FALSE(got.result.request) << c.name;
    }
  }
}

TEST(DnsblCheck, RefusalCodeOfAnAllowlistIsAnErrorNotAnAccept) {
  FakeResolver resolver;
  resolver.AddA("99.2.0.192.list.dnswl.example", {"127.0.0.255"});
  auto check = MakeCheck(
      Config({DnswlList({{"accept", Bool(true)},
                         {"codes", Table({{"127.0.15.3", Sym("RCVD_IN_DNSWL_HI", -5)},
                                          {"127.0.0.255", Table({{"error", Str("over quota")}})}})},
                         {"default", Sym("RCVD_IN_DNSWL", -1)}})}),
      &resolver);
  ASSERT_TRUE(check);
  Outcome got = RunMessage(*check, Message{});
  EXPECT_EQ(SymbolList(got.result), "DNSBL_ERROR(0)");
  EXPECT_EQ(got.result.symbols[0].detail, "list.dnswl.example: 127.0.0.255 (over quota)");
  EXPECT_EQ(got.result.status, CheckStatus::kTemperror);
  EXPECT_FALSE(got.result.request);
}

TEST(DnsblCheck, RejectAtRcptForRejectLists) {
  struct Case {
    const char* name;
    std::string action;
    std::vector<std::string> answer;
    std::string auth;
    bool async;
    bool want_reject;
  } cases[] = {
      {"listed, reject", "reject", {"127.0.0.2"}, "", false, true},
      {"listed, reject, answer from the loop thread", "reject", {"127.0.0.4"}, "", true, true},
      {"listed, score", "score", {"127.0.0.2"}, "", false, false},
      {"not listed", "reject", {}, "", false, false},
      {"error code never rejects", "reject", {"127.255.255.254"}, "", false, false},
      {"authenticated sender", "reject", {"127.0.0.10"}, "roaming-user", false, false},
  };
  for (const Case& c : cases) {
    FakeResolver resolver;
    resolver.set_async(c.async);
    if (!c.answer.empty()) resolver.AddA(kZenName, c.answer);
    auto check = MakeCheck(Config({ZenList({{"action", Str(c.action)}})}), &resolver);
    ASSERT_TRUE(check) << c.name;
    Message message;
    message.auth = c.auth;
    message.recipients = {"a@example.org", "b@example.org"};
    Outcome got = RunMessage(*check, message);
    for (const auto& rcpt : got.rcpt) {
      ASSERT_EQ(rcpt.has_value(), c.want_reject) << c.name;
      if (!rcpt) continue;
      EXPECT_EQ(rcpt->action, Action::kReject) << c.name;
      EXPECT_EQ(rcpt->smtp_code, "550") << c.name;
      EXPECT_EQ(rcpt->enhanced_code, "5.7.1") << c.name;
      EXPECT_EQ(rcpt->text, "Client host listed at zen.spamhaus.org") << c.name;
      EXPECT_FALSE(rcpt->reason.empty()) << c.name;
    }
    EXPECT_FALSE(got.result.request) << c.name << ": late or no hits are only scored";
    if (!c.auth.empty()) {
      EXPECT_TRUE(got.result.symbols.empty()) << c.name << ": " << SymbolList(got.result);
      EXPECT_EQ(got.result.status, CheckStatus::kNone) << c.name;
    }
  }
}

TEST(DnsblCheck, TimeoutBecomesTemperrorWithinTheDeadline) {
  for (const std::string action : {"score", "reject"}) {
    FakeResolver resolver;
    resolver.set_async(true);
    resolver.SetUnanswered(kZenName, dns::RecordType::kA);
    auto check = MakeCheck(
        Config({ZenList({{"action", Str(action)}})}, {{"rcpt_wait_ms", Num(300)}}), &resolver);
    ASSERT_TRUE(check);
    Message message;
    message.recipients = {"a@example.org", "b@example.org", "c@example.org", "d@example.org",
                          "e@example.org"};
    const auto start = std::chrono::steady_clock::now();
    Outcome got = RunMessage(*check, message, Deadline::After(milliseconds(200)));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    // rcpt_wait is shared by all recipients (300 ms, not 5 x 300), plus the
    // 200 ms end-of-message deadline; the lookup's own timeout is 5 s.
    EXPECT_LT(elapsed, milliseconds(1200)) << action;
    for (const auto& rcpt : got.rcpt) EXPECT_FALSE(rcpt) << action << ": unknown never rejects";
    EXPECT_EQ(SymbolList(got.result), "DNSBL_TEMPERROR(0)") << action;
    EXPECT_EQ(got.result.symbols[0].detail, "zen.spamhaus.org: no answer by end of message");
    EXPECT_EQ(got.result.status, CheckStatus::kTemperror) << action;
    EXPECT_FALSE(got.result.request) << action;
  }
}

TEST(DnsblCheck, ResolverTimeoutIsReportedAsSuch) {
  FakeResolver resolver;
  resolver.set_async(true);
  resolver.SetUnanswered(kZenName, dns::RecordType::kA);
  // The lookup's own deadline (timeout_ms) ends before end of message.
  auto check = MakeCheck(Config({ZenList()}, {{"timeout_ms", Num(100)}}), &resolver);
  Outcome got = RunMessage(*check, Message{}, Deadline::After(milliseconds(3000)));
  ASSERT_EQ(SymbolList(got.result), "DNSBL_TEMPERROR(0)");
  EXPECT_EQ(got.result.symbols[0].detail, "zen.spamhaus.org: timeout");
}

TEST(DnsblCheck, DomainListsTable) {
  struct Case {
    const char* name;
    Message message;
    std::vector<std::string> identities;  // empty: all
    std::string want_symbols;
    std::string want_detail;
    std::vector<std::string> want_queries;
    std::vector<std::string> want_not_queried;
  };
  auto with = [](auto change) {
    Message m;
    change(m);
    return m;
  };
  Case cases[] = {
      {"sender listed",
       with([](Message& m) { m.sender = "x@bad.example"; }),
       {},
       "DBL_SPAM(5)",
       "dbl.example 127.0.1.2 bad.example(sender)",
       {"bad.example.dbl.example", "mx.helo.example.dbl.example", "from.example.dbl.example"},
       {}},
      {"helo listed",
       with([](Message& m) { m.helo = "Bad.Example"; }),
       {},
       "DBL_SPAM(5)",
       "dbl.example 127.0.1.2 bad.example(helo)",
       {"bad.example.dbl.example"},
       {}},
      {"from listed",
       with([](Message& m) { m.from_header = " \"Bank\" <help@phish.example>"; }),
       {},
       "DBL_PHISH(6)",
       "dbl.example 127.0.1.4 phish.example(from)",
       {"phish.example.dbl.example"},
       {}},
      {"sender and from share one query",
       with([](Message& m) {
         m.sender = "a@bad.example";
         m.from_header = " b@bad.example";
       }),
       {},
       "DBL_SPAM(5)",
       "dbl.example 127.0.1.2 bad.example(sender,from)",
       {"bad.example.dbl.example"},
       {}},
      {"null sender is skipped",
       with([](Message& m) { m.sender = ""; }),
       {},
       "",
       "",
       {},
       {"sender.example.dbl.example"}},
      {"address-literal HELO is skipped",
       with([](Message& m) { m.helo = "[192.0.2.99]"; }),
       {},
       "",
       "",
       {},
       {"[192.0.2.99].dbl.example", "99.2.0.192.dbl.example"}},
      {"single-label HELO is skipped",
       with([](Message& m) { m.helo = "localhost"; }),
       {},
       "",
       "",
       {},
       {"localhost.dbl.example"}},
      {"identities limit the lookups",
       with([](Message& m) { m.helo = "bad.example"; }),
       {"sender"},
       "",
       "",
       {"sender.example.dbl.example"},
       {"bad.example.dbl.example", "from.example.dbl.example"}},
  };
  for (const Case& c : cases) {
    FakeResolver resolver;
    resolver.AddA("bad.example.dbl.example", {"127.0.1.2"});
    resolver.AddA("phish.example.dbl.example", {"127.0.1.4"});
    std::vector<std::pair<std::string, ConfigValue>> extra;
    if (!c.identities.empty()) extra.push_back({"identities", Strings(c.identities)});
    auto check = MakeCheck(Config({DblList(extra)}), &resolver);
    ASSERT_TRUE(check) << c.name;
    Outcome got = RunMessage(*check, c.message);
    EXPECT_EQ(SymbolList(got.result), c.want_symbols) << c.name;
    if (!c.want_detail.empty() && !got.result.symbols.empty()) {
      EXPECT_EQ(got.result.symbols[0].detail, c.want_detail) << c.name;
    }
    for (const std::string& query : c.want_queries) {
      EXPECT_EQ(resolver.LookupsOf(query, dns::RecordType::kA), 1) << c.name << ": " << query;
    }
    for (const std::string& query : c.want_not_queried) {
      EXPECT_EQ(resolver.LookupsOf(query, dns::RecordType::kA), 0) << c.name << ": " << query;
    }
  }
}

TEST(DnsblCheck, DomainRejectListsRejectAtRcptOrEndOfMessage) {
  FakeResolver resolver;
  resolver.AddA("bad.example.dbl.example", {"127.0.1.2"});
  auto check = MakeCheck(Config({DblList({{"action", Str("reject")}})}), &resolver);

  Message sender;
  sender.sender = "x@bad.example";
  Outcome by_sender = RunMessage(*check, sender);
  ASSERT_TRUE(by_sender.rcpt[0]);
  EXPECT_EQ(by_sender.rcpt[0]->text, "Domain listed at dbl.example");
  EXPECT_EQ(by_sender.rcpt[0]->reason, "DBL_SPAM");

  // The From header is known only after RCPT TO: rejected at end of message.
  Message from;
  from.from_header = " x@bad.example";
  Outcome by_from = RunMessage(*check, from);
  EXPECT_FALSE(by_from.rcpt[0]);
  ASSERT_TRUE(by_from.result.request);
  EXPECT_EQ(by_from.result.request->action, Action::kReject);
  EXPECT_EQ(by_from.result.request->reason, "DBL_SPAM");
}

TEST(DnsblCheck, RepeatedHeloReplacesTheOldName) {
  FakeResolver resolver;
  resolver.AddA("bad.example.dbl.example", {"127.0.1.2"});
  auto check = MakeCheck(Config({DblList({{"identities", Strings({"helo"})}})}), &resolver);
  Transaction t;
  t.connection.helo = "bad.example";
  auto instance = check->NewInstance();
  instance->OnHelo(t.info());
  t.connection.helo = "good.example";
  instance->OnHelo(t.info());  // EHLO again: the last one counts
  CheckResult result = instance->Finish(t.info(), Deadline::After(milliseconds(500)));
  EXPECT_EQ(SymbolList(result), "");
  EXPECT_EQ(resolver.LookupsOf("good.example.dbl.example", dns::RecordType::kA), 1);
}

TEST(DnsblCheck, NoResolverMeansNoLookups) {
  auto check = MakeCheck(Config({ZenList(), DblList()}), nullptr);
  ASSERT_TRUE(check);
  Outcome got = RunMessage(*check, Message{});
  EXPECT_EQ(got.result.status, CheckStatus::kNone);
  EXPECT_TRUE(got.result.symbols.empty());
}

TEST(DnsblCheck, EarlyResultHasTheEnvelopeListsButNotFrom) {
  FakeResolver resolver;
  resolver.AddA(kZenName, {"127.0.0.2"});
  resolver.AddA("bad.example.dbl.example", {"127.0.1.2"});
  auto check = MakeCheck(
      Config({ZenList({{"action", Str("score")}}),
              DblList({{"identities", Strings({"from"})}, {"action", Str("score")}})}),
      &resolver);
  Transaction t;
  t.connection.client_addr = IpAddress::Parse("192.0.2.99");
  t.connection.client_addr_text = "192.0.2.99";
  t.message.mail_from = "someone@sender.example";
  auto instance = check->NewInstance();
  instance->OnConnect(t.info());
  instance->OnMailFrom(t.info());
  std::optional<CheckResult> early =
      instance->EarlyResult(t.info(), Deadline::After(milliseconds(500)));
  ASSERT_TRUE(early);
  EXPECT_EQ(SymbolList(*early), "RBL_ZEN_SBL(4)");

  t.message.headers.push_back({"From", " x@bad.example"});
  instance->OnHeader(t.info(), "From", " x@bad.example");
  instance->OnEndOfHeaders(t.info());
  CheckResult final_result = instance->Finish(t.info(), Deadline::After(milliseconds(500)));
  EXPECT_EQ(SymbolList(final_result), "RBL_ZEN_SBL(4) DBL_SPAM(5)");
}

double CounterValue(prometheus::Registry& registry, const std::string& list,
                    const std::string& result) {
  for (const auto& family : registry.Collect()) {
    if (family.name != "portcullis_dnsbl_lookups_total") continue;
    for (const auto& metric : family.metric) {
      std::string got_list;
      std::string got_result;
      for (const auto& label : metric.label) {
        if (label.name == "list") got_list = label.value;
        if (label.name == "result") got_result = label.value;
      }
      if (got_list == list && got_result == result) return metric.counter.value;
    }
  }
  return -1;
}

TEST(DnsblCheck, MetricsCountAnswersByListAndResult) {
  prometheus::Registry registry;  // outlives the resolver's callbacks
  FakeResolver resolver;
  resolver.AddA(kZenName, {"127.0.0.2"});
  resolver.AddA("99.2.0.192.list.dnswl.example", {"127.255.255.254"});
  auto check = MakeCheck(Config({ZenList(), DnswlList()}), &resolver, &registry);
  RunMessage(*check, Message{});
  Message clean;
  clean.client = "198.51.100.7";
  RunMessage(*check, clean);
  EXPECT_EQ(CounterValue(registry, "zen.spamhaus.org", "listed"), 1);
  EXPECT_EQ(CounterValue(registry, "zen.spamhaus.org", "not_listed"), 1);
  EXPECT_EQ(CounterValue(registry, "list.dnswl.example", "error"), 1);
  EXPECT_EQ(CounterValue(registry, "list.dnswl.example", "not_listed"), 1);
  EXPECT_EQ(CounterValue(registry, "zen.spamhaus.org", "temperror"), 0);
}

}  // namespace
}  // namespace portcullis::dnsbl
