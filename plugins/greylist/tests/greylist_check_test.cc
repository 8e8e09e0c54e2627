#include "greylist_check.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <cstdio>
#include <fstream>

#include "greylist_keys.h"
#include "test_support.h"

namespace portcullis::greylist {
namespace {

using std::chrono::seconds;
using testing::Bool;
using testing::FakeClock;
using testing::List;
using testing::MakeCheck;
using testing::MemoryStore;
using testing::Num;
using testing::Options;
using testing::SpfResult;
using testing::Str;
using testing::SymbolNames;
using testing::Table;
using testing::Transaction;

// The action asked for one recipient: "tempfail" or "accept" (no request).
std::string ActionOf(const std::optional<ActionRequest>& request) {
  if (!request) return "accept";
  return std::string(ActionName(request->action));
}

struct Harness {
  explicit Harness(ConfigValue tree = Options()) : tree_(std::move(tree)) {
    check = MakeCheck(tree_, &store, &clock);
  }
  // One message with `recipients`; returns the action per recipient joined
  // by spaces, and leaves the Finish() result in `result`.
  std::string Message(Transaction& tx, const std::vector<std::string>& recipients) {
    auto instance = check->NewInstance();
    std::string actions;
    for (const std::string& rcpt : recipients) {
      last = instance->OnRcpt(tx.info(), rcpt);
      actions += (actions.empty() ? "" : " ") + ActionOf(last);
    }
    result = instance->Finish(tx.info(), Deadline::After(std::chrono::seconds(1)));
    return actions;
  }
  std::string Message(Transaction& tx, const char* rcpt = "bob@example.net") {
    return Message(tx, std::vector<std::string>{rcpt});
  }

  ConfigValue tree_;
  FakeClock clock;
  MemoryStore store{[this] { return clock.now(); }};
  std::unique_ptr<Check> check;
  std::optional<ActionRequest> last;
  CheckResult result;
};

TEST(GreylistCheck, GreylistsThenAcceptsTheRetry) {
  Harness h;
  Transaction tx;
  EXPECT_EQ(h.Message(tx), "tempfail");
  ASSERT_TRUE(h.last);
  EXPECT_EQ(h.last->smtp_code, "451");
  EXPECT_EQ(h.last->enhanced_code, "4.7.1");
  EXPECT_EQ(h.last->text, "Greylisted: please retry in 300 seconds");
  EXPECT_EQ(h.last->reason, "GREYLIST_NEW");
  EXPECT_EQ(SymbolNames(h.result), "GREYLIST_NEW");

  h.clock.Advance(seconds(13));
  EXPECT_EQ(h.Message(tx), "tempfail");
  EXPECT_EQ(h.last->text, "Greylisted: please retry in 287 seconds");
  EXPECT_EQ(SymbolNames(h.result), "GREYLIST_EARLY");

  h.clock.Advance(seconds(287));
  EXPECT_EQ(h.Message(tx), "accept");
  EXPECT_EQ(SymbolNames(h.result), "GREYLIST_PASSED");
  EXPECT_EQ(h.Message(tx), "accept");
  EXPECT_EQ(SymbolNames(h.result), "GREYLIST_KNOWN");

  // Another host of the same /24, same sender and recipient: known.
  tx.SetClient("192.0.2.200");
  EXPECT_EQ(h.Message(tx), "accept");
  // BATV-signed sender next time: the same triplet.
  tx.message.mail_from = "prvs=4321fedcba=Alice@Example.org";
  EXPECT_EQ(h.Message(tx), "accept");
  EXPECT_EQ(SymbolNames(h.result), "GREYLIST_KNOWN");
}

TEST(GreylistCheck, SkipRules) {
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, ConfigValue>> options;
    std::function<void(Transaction&)> setup;
    const char* want_symbols;
    bool want_store_access;
  } cases[] = {
      {"authenticated",
       {},
       [](Transaction& tx) { tx.message.auth_authen = "alice"; },
       "GREYLIST_SKIPPED",
       false},
      {"authenticated, rule off",
       {{"skip", Table({{"authenticated", Bool(false)}})}},
       [](Transaction& tx) { tx.message.auth_authen = "alice"; },
       "GREYLIST_NEW",
       true},
      {"loopback v4",
       {},
       [](Transaction& tx) { tx.SetClient("127.0.0.1"); },
       "GREYLIST_SKIPPED",
       false},
      {"loopback v6", {}, [](Transaction& tx) { tx.SetClient("::1"); }, "GREYLIST_SKIPPED", false},
      {"custom networks replace the default",
       {{"skip", Table({{"networks", List({"198.51.100.0/24"})}})}},
       [](Transaction& tx) { tx.SetClient("198.51.100.7"); },
       "GREYLIST_SKIPPED",
       false},
      {"custom networks: loopback no longer skipped",
       {{"skip", Table({{"networks", List({"198.51.100.0/24"})}})}},
       [](Transaction& tx) { tx.SetClient("127.0.0.1"); },
       "GREYLIST_NEW",
       true},
      {"no client address (local)",
       {},
       [](Transaction& tx) {
         tx.connection.client_addr.reset();
         tx.connection.client_addr_text = "";
       },
       "GREYLIST_SKIPPED",
       false},
      {"spf pass for the sender domain",
       {},
       [](Transaction& tx) {
         tx.early.results["spf"] = SpfResult("pass", "smtp.mailfrom", "alice@Example.ORG");
       },
       "GREYLIST_SKIPPED",
       false},
      {"spf pass as a bare domain",
       {},
       [](Transaction& tx) {
         tx.early.results["spf"] = SpfResult("pass", "smtp.mailfrom", "example.org");
       },
       "GREYLIST_SKIPPED",
       false},
      {"spf pass, rule off",
       {{"skip", Table({{"spf_pass", Bool(false)}})}},
       [](Transaction& tx) {
         tx.early.results["spf"] = SpfResult("pass", "smtp.mailfrom", "alice@example.org");
       },
       "GREYLIST_NEW",
       true},
      {"spf pass for HELO only (null sender)",
       {},
       [](Transaction& tx) {
         tx.message.mail_from = "";
         tx.early.results["spf"] = SpfResult("pass", "smtp.helo", "mx.example.net");
       },
       "GREYLIST_NEW",
       true},
      {"spf pass for another domain",
       {},
       [](Transaction& tx) {
         tx.early.results["spf"] = SpfResult("pass", "smtp.mailfrom", "x@other.example");
       },
       "GREYLIST_NEW",
       true},
      {"spf softfail",
       {},
       [](Transaction& tx) {
         tx.early.results["spf"] = SpfResult("softfail", "smtp.mailfrom", "alice@example.org");
       },
       "GREYLIST_NEW",
       true},
      {"early results absent",
       {},
       [](Transaction& tx) { tx.with_early = false; },
       "GREYLIST_NEW",
       true},
      {"no spf result given", {}, [](Transaction&) {}, "GREYLIST_NEW", true},
      {"DNSWL symbol from dnsbl",
       {{"skip", Table({{"symbols", List({"RCVD_IN_DNSWL_MED"})}})}},
       [](Transaction& tx) {
         CheckResult dnsbl;
         dnsbl.symbols.push_back({"RCVD_IN_DNSWL_MED", -2, ""});
         tx.early.results["dnsbl"] = dnsbl;
       },
       "GREYLIST_SKIPPED",
       false},
      {"other dnsbl symbol",
       {{"skip", Table({{"symbols", List({"RCVD_IN_DNSWL_MED"})}})}},
       [](Transaction& tx) {
         CheckResult dnsbl;
         dnsbl.symbols.push_back({"RBL_ZEN_PBL", 2, ""});
         tx.early.results["dnsbl"] = dnsbl;
       },
       "GREYLIST_NEW",
       true},
  };
  for (const Case& c : cases) {
    Harness h(Options(c.options));
    Transaction tx;
    c.setup(tx);
    const std::string actions = h.Message(tx);
    EXPECT_EQ(SymbolNames(h.result), c.want_symbols) << c.name;
    EXPECT_EQ(actions, c.want_store_access ? "tempfail" : "accept") << c.name;
    EXPECT_EQ(h.store.calls().total() > 0, c.want_store_access) << c.name;
  }
}

TEST(GreylistCheck, AfterNamesOnlyChecksASkipRuleReads) {
  struct Case {
    std::vector<std::pair<std::string, ConfigValue>> options;
    std::vector<std::string> want;
  } cases[] = {
      {{}, {"spf"}},
      {{{"skip", Table({{"spf_pass", Bool(false)}})}}, {}},
      {{{"skip", Table({{"spf_pass", Bool(false)}, {"symbols", List({"X"})}})}}, {"spf", "dnsbl"}},
  };
  for (const Case& c : cases) {
    Harness h(Options(c.options));
    EXPECT_EQ(h.check->after(), c.want);
    EXPECT_EQ(h.check->stages(), kStageRcpt);
  }
}

TEST(GreylistCheck, EarlyResultsAreAskedOncePerMessage) {
  Harness h(Options({{"skip", Table({{"symbols", List({"RCVD_IN_DNSWL_MED"})}})}}));
  Transaction tx;
  h.Message(tx, {"a@example.net", "b@example.net", "c@example.net"});
  EXPECT_EQ(tx.early.asked, (std::vector<std::string>{"spf", "dnsbl"}));
}

TEST(GreylistCheck, Allowlists) {
  const std::string file = ::testing::TempDir() + "greylist_clients.txt";
  {
    std::ofstream out(file);
    out << "# operator's list\n198.51.100.0/24   # a partner\n\npartner.example\n";
  }
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, ConfigValue>> options;
    std::function<void(Transaction&)> setup;
    const char* rcpt;
    const char* want_symbols;
  } cases[] = {
      {"inline client address",
       {{"allowlist_clients", List({"192.0.2.10"})}},
       [](Transaction&) {},
       "bob@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"inline client CIDR",
       {{"allowlist_clients", List({"192.0.2.0/24"})}},
       [](Transaction&) {},
       "bob@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"inline client name suffix",
       {{"allowlist_clients", List({"example.net"})}},
       [](Transaction&) {},
       "bob@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"name suffix needs a label boundary",
       {{"allowlist_clients", List({"ample.net"})}},
       [](Transaction&) {},
       "bob@example.net",
       "GREYLIST_NEW"},
      {"unverified name never matches",
       {{"allowlist_clients", List({"example.net"})}},
       [](Transaction& tx) { tx.connection.client_name = "unknown"; },
       "bob@example.net",
       "GREYLIST_NEW"},
      {"file: CIDR",
       {{"allowlist_clients_files", List({file})}},
       [](Transaction& tx) { tx.SetClient("198.51.100.9"); },
       "bob@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"file: name",
       {{"allowlist_clients_files", List({file})}},
       [](Transaction& tx) { tx.SetClient("203.0.113.5", "mx1.partner.example"); },
       "bob@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"builtin provider by host name",
       {},
       [](Transaction& tx) { tx.SetClient("209.85.221.41", "mail-wr1-f41.google.com"); },
       "bob@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"builtin provider: outlook",
       {},
       [](Transaction& tx) {
         tx.SetClient("40.107.1.1", "mail-db8eur05on2101.outbound.protection.outlook.com");
       },
       "bob@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"builtin list off",
       {{"builtin_allowlist", Bool(false)}},
       [](Transaction& tx) { tx.SetClient("209.85.221.41", "mail-wr1-f41.google.com"); },
       "bob@example.net",
       "GREYLIST_NEW"},
      {"sender domain",
       {{"allowlist_senders", List({"example.org"})}},
       [](Transaction&) {},
       "bob@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"sender subdomain",
       {{"allowlist_senders", List({"example.org"})}},
       [](Transaction& tx) { tx.message.mail_from = "x@news.example.org"; },
       "bob@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"sender address behind SRS",
       {{"allowlist_senders", List({"alice@example.org"})}},
       [](Transaction& tx) { tx.message.mail_from = "SRS0=h=t=example.org=alice@fwd.example"; },
       "bob@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"postmaster by default",
       {},
       [](Transaction&) {},
       "Postmaster@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"abuse by default, with a sub-address",
       {},
       [](Transaction&) {},
       "abuse+x@example.net",
       "GREYLIST_ALLOWLISTED"},
      {"recipient list replaced",
       {{"allowlist_recipients", List({"@vip.example"})}},
       [](Transaction&) {},
       "postmaster@example.net",
       "GREYLIST_NEW"},
      {"recipient domain",
       {{"allowlist_recipients", List({"@vip.example"})}},
       [](Transaction&) {},
       "ceo@vip.example",
       "GREYLIST_ALLOWLISTED"},
  };
  for (const Case& c : cases) {
    Harness h(Options(c.options));
    Transaction tx;
    c.setup(tx);
    h.Message(tx, c.rcpt);
    EXPECT_EQ(SymbolNames(h.result), c.want_symbols) << c.name;
  }
  std::remove(file.c_str());
}

TEST(GreylistCheck, StoreUnavailableFailsOpen) {
  Harness h;
  h.store.SetFailing(true);
  Transaction tx;
  EXPECT_EQ(h.Message(tx, {"a@example.net", "b@example.net", "c@example.net"}),
            "accept accept accept");
  EXPECT_EQ(SymbolNames(h.result), "GREYLIST_STORE_ERROR");
  EXPECT_EQ(h.result.symbols[0].detail.substr(0, 12), "3 recipients");
  // After the first failure the message makes no more store calls.
  EXPECT_EQ(h.store.calls().total(), 1);
  // Back up: greylisting resumes.
  h.store.SetFailing(false);
  EXPECT_EQ(h.Message(tx), "tempfail");
}

TEST(GreylistCheck, NoStoreFailsOpenAndOfflineDoesNothing) {
  FakeClock clock;
  {
    auto check = MakeCheck(Options(), nullptr, &clock);
    Transaction tx;
    auto instance = check->NewInstance();
    EXPECT_FALSE(instance->OnRcpt(tx.info(), "bob@example.net"));
    EXPECT_EQ(SymbolNames(instance->Finish(tx.info(), Deadline::Never())), "GREYLIST_STORE_ERROR");
  }
  {
    MemoryStore store([&] { return clock.now(); });
    auto check = MakeCheck(Options(), &store, &clock, /*offline=*/true);
    Transaction tx;
    auto instance = check->NewInstance();
    EXPECT_FALSE(instance->OnRcpt(tx.info(), "bob@example.net"));
    EXPECT_EQ(SymbolNames(instance->Finish(tx.info(), Deadline::Never())), "");
    EXPECT_EQ(store.calls().total(), 0);
  }
}

TEST(GreylistCheck, MaxRecipientsBoundsStoreLookups) {
  Harness h(Options({{"max_recipients", Num(3)}}));
  Transaction tx;
  const std::vector<std::string> rcpts = {"a@x.example", "b@x.example", "c@x.example",
                                          "d@x.example", "e@x.example"};
  // First delivery: all new; the two past the limit share the tempfail.
  EXPECT_EQ(h.Message(tx, rcpts), "tempfail tempfail tempfail tempfail tempfail");
  EXPECT_EQ(SymbolNames(h.result), "GREYLIST_NEW GREYLIST_RCPT_LIMIT");
  EXPECT_EQ(h.store.calls().get_many, 3);
  EXPECT_EQ(h.last->text, "Greylisted: please retry in 300 seconds");
  // The retry: the first three pass, so the rest are accepted with them.
  h.clock.Advance(seconds(300));
  EXPECT_EQ(h.Message(tx, rcpts), "accept accept accept accept accept");
  EXPECT_EQ(SymbolNames(h.result), "GREYLIST_PASSED GREYLIST_RCPT_LIMIT");
  EXPECT_EQ(
      h.store.Snapshot().count(TripletKey({"192.0.2.0/24", "alice@example.org", "d@x.example"})),
      0u);
}

TEST(GreylistCheck, AllowlistedNetworkNeedsOneLookupPerMessage) {
  Harness h(Options({{"auto_allowlist_after", Num(1)}}));
  Transaction tx;
  h.Message(tx);
  h.clock.Advance(seconds(300));
  h.Message(tx);  // passes: the network's count reaches 1
  h.store.ResetCalls();
  EXPECT_EQ(h.Message(tx, {"x@example.net", "y@example.net", "z@example.net"}),
            "accept accept accept");
  EXPECT_EQ(SymbolNames(h.result), "GREYLIST_AUTO_ALLOWLISTED");
  EXPECT_EQ(h.store.calls().get_many, 1);
}

TEST(GreylistCheck, ScoresAndTextAreConfigurable) {
  Harness h(Options({{"scores", Table({{"GREYLIST_NEW", Num(1.5)}})},
                     {"tempfail_text", Str("Try again in {seconds}s please")}}));
  Transaction tx;
  h.Message(tx);
  ASSERT_EQ(h.result.symbols.size(), 1u);
  EXPECT_EQ(h.result.symbols[0].score, 1.5);
  EXPECT_EQ(h.last->text, "Try again in 300s please");
}

TEST(GreylistCheck, MixedDecisionsInOneMessage) {
  Harness h;
  Transaction tx;
  EXPECT_EQ(h.Message(tx, {"postmaster@example.net", "bob@example.net"}), "accept tempfail");
  EXPECT_EQ(SymbolNames(h.result), "GREYLIST_NEW GREYLIST_ALLOWLISTED");
}

double DecisionCount(prometheus::Registry& registry, const std::string& decision) {
  for (const auto& family : registry.Collect()) {
    if (family.name != "portcullis_greylist_decisions_total") continue;
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.name == "decision" && label.value == decision) return metric.counter.value;
      }
    }
  }
  return -1;
}

TEST(GreylistCheck, MetricsCountDecisionsPerRecipient) {
  prometheus::Registry registry;
  FakeClock clock;
  MemoryStore store([&] { return clock.now(); });
  ConfigErrors errors;
  CheckContext context;
  context.store = &store;
  context.metrics = &registry;
  auto check = testing::MakeCheck(Options(), context, clock.fn(), &errors);
  ASSERT_TRUE(check);
  Transaction tx;
  auto instance = check->NewInstance();
  instance->OnRcpt(tx.info(), "a@example.net");
  instance->OnRcpt(tx.info(), "b@example.net");
  instance->OnRcpt(tx.info(), "postmaster@example.net");
  EXPECT_EQ(DecisionCount(registry, "new"), 2);
  EXPECT_EQ(DecisionCount(registry, "allowlisted"), 1);
  EXPECT_EQ(DecisionCount(registry, "store_error"), 0);
}

}  // namespace
}  // namespace portcullis::greylist
