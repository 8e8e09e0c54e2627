#include "lists_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "portcullis/check_registry.h"
#include "test_config.h"

namespace portcullis::lists {
namespace {

using testing::List;
using testing::MakeCheck;
using testing::Num;
using testing::Str;
using testing::Table;
using testing::Transaction;

// The lists every case below runs against.
ConfigValue BaseLists() {
  return Table({
      {"client", Table({{"block", List({"192.0.2.0/24", "2001:db8::/32"})},
                        {"allow", List({"198.51.100.1", "192.0.2.10"})}})},
      {"helo", Table({{"block", List({"bad-helo.example", "[203.0.113.66]"})},
                      {"allow", List({"good-helo.example"})}})},
      {"sender",
       Table({{"block", List({"spammer.example"})}, {"allow", List({"partner.example"})}})},
      {"recipient", Table({{"block", List({"blocked@example.org"})},
                           {"allow", List({"postmaster@example.org", "abuse@example.org"})}})},
      {"from_domain",
       Table({{"block", List({"evil.example"})}, {"allow", List({"friend.example"})}})},
  });
}

// One message through the stages; returns the RCPT TO outcome per recipient.
struct Message {
  std::string client = "203.0.113.5";
  std::string helo = "mx.neutral.example";
  std::string sender = "someone@neutral.example";
  std::vector<std::string> recipients = {"user@example.org"};
  std::vector<std::string> from_headers;
};

struct Outcome {
  std::vector<std::optional<ActionRequest>> rcpt;
  CheckResult result;
};

Outcome RunMessage(const Check& check, const Message& message) {
  Transaction t;
  t.connection.client_addr = IpAddress::Parse(message.client);
  t.connection.client_addr_text = message.client;
  t.connection.helo = message.helo;
  t.message.mail_from = message.sender;
  auto instance = check.NewInstance();
  Outcome outcome;
  EXPECT_FALSE(instance->OnConnect(t.info()));
  EXPECT_FALSE(instance->OnHelo(t.info()));
  EXPECT_FALSE(instance->OnMailFrom(t.info()));
  for (const std::string& recipient : message.recipients) {
    outcome.rcpt.push_back(instance->OnRcpt(t.info(), recipient));
    if (!outcome.rcpt.back()) t.message.recipients.push_back(recipient);
  }
  for (const std::string& from : message.from_headers) instance->OnHeader(t.info(), "From", from);
  instance->OnHeader(t.info(), "Subject", " hello");
  outcome.result = instance->Finish(t.info(), Deadline::Never());
  return outcome;
}

std::string Describe(const std::optional<ActionRequest>& request) {
  if (!request) return "none";
  return std::string(ActionName(request->action)) + " " + request->reason;
}

std::string Symbols(const CheckResult& result) {
  std::string all;
  for (const Symbol& symbol : result.symbols) {
    all += (all.empty() ? "" : " ") + symbol.name + "=" +
           std::to_string(static_cast<int>(symbol.score));
  }
  return all;
}

struct RcptCase {
  const char* name;
  Message message;
  std::string want;  // RCPT TO outcome of the one recipient
};

// The precedence table at RCPT TO, decided by the lead: client/HELO/sender
// blocks reject unless client/HELO/sender/that recipient is allowed; a
// blocked recipient is rejected unless client/HELO/sender is allowed.
TEST(ListsCheck, RcptPrecedenceTable) {
  auto check = MakeCheck(BaseLists());
  ASSERT_TRUE(check);
  auto with = [](auto change) {
    Message m;
    change(m);
    return m;
  };
  const RcptCase cases[] = {
      {"clean", Message{}, "none"},
      {"client blocked", with([](Message& m) { m.client = "192.0.2.5"; }),
       "reject LISTS_BLOCK_CLIENT"},
      {"client blocked, IPv6", with([](Message& m) { m.client = "2001:db8::25"; }),
       "reject LISTS_BLOCK_CLIENT"},
      {"client blocked, mapped", with([](Message& m) { m.client = "::ffff:192.0.2.5"; }),
       "reject LISTS_BLOCK_CLIENT"},
      {"client blocked, rcpt postmaster allowed", with([](Message& m) {
         m.client = "192.0.2.5";
         m.recipients = {"Postmaster@Example.org"};
       }),
       "none"},
      {"client blocked and allowed (allow wins)", with([](Message& m) { m.client = "192.0.2.10"; }),
       "none"},
      {"client blocked, sender allowed", with([](Message& m) {
         m.client = "192.0.2.5";
         m.sender = "news@mail.partner.example";
       }),
       "none"},
      {"client blocked, helo allowed", with([](Message& m) {
         m.client = "192.0.2.5";
         m.helo = "good-helo.example";
       }),
       "none"},
      {"helo blocked", with([](Message& m) { m.helo = "a.bad-helo.example"; }),
       "reject LISTS_BLOCK_HELO"},
      {"helo literal blocked", with([](Message& m) { m.helo = "[203.0.113.66]"; }),
       "reject LISTS_BLOCK_HELO"},
      {"helo blocked, rcpt abuse allowed", with([](Message& m) {
         m.helo = "bad-helo.example";
         m.recipients = {"abuse@example.org"};
       }),
       "none"},
      {"sender blocked", with([](Message& m) { m.sender = "x@spammer.example"; }),
       "reject LISTS_BLOCK_SENDER"},
      {"sender subdomain blocked", with([](Message& m) { m.sender = "x@a.b.spammer.example"; }),
       "reject LISTS_BLOCK_SENDER"},
      {"sender lookalike not blocked", with([](Message& m) { m.sender = "x@notspammer.example"; }),
       "none"},
      {"sender blocked, client allowed", with([](Message& m) {
         m.sender = "x@spammer.example";
         m.client = "198.51.100.1";
       }),
       "none"},
      {"null sender", with([](Message& m) { m.sender = ""; }), "none"},
      {"rcpt blocked", with([](Message& m) { m.recipients = {"Blocked@EXAMPLE.org"}; }),
       "reject LISTS_BLOCK_RECIPIENT"},
      {"rcpt blocked, client allowed", with([](Message& m) {
         m.recipients = {"blocked@example.org"};
         m.client = "198.51.100.1";
       }),
       "none"},
      {"rcpt blocked, helo allowed", with([](Message& m) {
         m.recipients = {"blocked@example.org"};
         m.helo = "good-helo.example";
       }),
       "none"},
      {"rcpt blocked, sender allowed", with([](Message& m) {
         m.recipients = {"blocked@example.org"};
         m.sender = "a@partner.example";
       }),
       "none"},
      {"rcpt blocked and client blocked", with([](Message& m) {
         m.recipients = {"blocked@example.org"};
         m.client = "192.0.2.5";
       }),
       "reject LISTS_BLOCK_RECIPIENT"},
      {"from domain is not checked at rcpt",
       with([](Message& m) { m.from_headers = {" x@evil.example"}; }), "none"},
  };
  for (const RcptCase& c : cases) {
    Outcome outcome = RunMessage(*check, c.message);
    ASSERT_EQ(outcome.rcpt.size(), 1u);
    EXPECT_EQ(Describe(outcome.rcpt[0]), c.want) << c.name;
    if (outcome.rcpt[0]) {
      EXPECT_EQ(outcome.rcpt[0]->smtp_code, "550") << c.name;
      EXPECT_EQ(outcome.rcpt[0]->enhanced_code, "5.7.1") << c.name;
      EXPECT_EQ(outcome.rcpt[0]->text, "Rejected by local policy") << c.name;
    }
  }
}

struct FinishCase {
  const char* name;
  Message message;
  CheckStatus want_status;
  std::string want_symbols;
  std::string want_request;
};

TEST(ListsCheck, FinishTable) {
  auto check = MakeCheck(BaseLists());
  ASSERT_TRUE(check);
  auto with = [](auto change) {
    Message m;
    change(m);
    return m;
  };
  const FinishCase cases[] = {
      {"no hit", Message{}, CheckStatus::kNone, "", "none"},
      {"from blocked", with([](Message& m) { m.from_headers = {" Eve <eve@mail.evil.example>"}; }),
       CheckStatus::kFail, "LISTS_BLOCK_FROM_DOMAIN=10", "reject LISTS_BLOCK_FROM_DOMAIN"},
      {"from blocked, sender allowed", with([](Message& m) {
         m.from_headers = {" eve@evil.example"};
         m.sender = "a@partner.example";
       }),
       CheckStatus::kPass, "LISTS_ALLOW_SENDER=-20 LISTS_BLOCK_FROM_DOMAIN=10",
       "accept LISTS_ALLOW_SENDER"},
      {"from allowed", with([](Message& m) { m.from_headers = {" Fred <fred@friend.example>"}; }),
       CheckStatus::kPass, "LISTS_ALLOW_FROM_DOMAIN=-20", "accept LISTS_ALLOW_FROM_DOMAIN"},
      {"from allowed and blocked author",
       with([](Message& m) { m.from_headers = {" fred@friend.example, eve@evil.example"}; }),
       CheckStatus::kFail, "LISTS_BLOCK_FROM_DOMAIN=10", "reject LISTS_BLOCK_FROM_DOMAIN"},
      {"from allowed display name, blocked address",
       with([](Message& m) { m.from_headers = {" \"fred@friend.example\" <eve@evil.example>"}; }),
       CheckStatus::kFail, "LISTS_BLOCK_FROM_DOMAIN=10", "reject LISTS_BLOCK_FROM_DOMAIN"},
      {"two From headers are not allowed", with([](Message& m) {
         m.from_headers = {" fred@friend.example", " fred@friend.example"};
       }),
       CheckStatus::kNone, "", "none"},
      {"second From header blocked", with([](Message& m) {
         m.from_headers = {" fred@friend.example", " eve@evil.example"};
       }),
       CheckStatus::kFail, "LISTS_BLOCK_FROM_DOMAIN=10", "reject LISTS_BLOCK_FROM_DOMAIN"},
      {"ambiguous From is not allowed",
       with([](Message& m) { m.from_headers = {" fred@friend.example <x@neutral.example>"}; }),
       CheckStatus::kNone, "", "none"},
      {"client blocked, postmaster allowed, user rejected", with([](Message& m) {
         m.client = "192.0.2.5";
         m.recipients = {"user@example.org", "postmaster@example.org"};
       }),
       CheckStatus::kPass, "LISTS_BLOCK_CLIENT=10 LISTS_ALLOW_RECIPIENT=-20",
       "accept LISTS_ALLOW_RECIPIENT"},
      {"blocked rcpt rejected, other accepted", with([](Message& m) {
         m.recipients = {"blocked@example.org", "user@example.org"};
       }),
       CheckStatus::kFail, "LISTS_BLOCK_RECIPIENT=0", "none"},
  };
  for (const FinishCase& c : cases) {
    Outcome outcome = RunMessage(*check, c.message);
    EXPECT_EQ(CheckStatusName(outcome.result.status), CheckStatusName(c.want_status)) << c.name;
    EXPECT_EQ(Symbols(outcome.result), c.want_symbols) << c.name;
    EXPECT_EQ(Describe(outcome.result.request), c.want_request) << c.name;
  }
}

TEST(ListsCheck, MultiRecipientOutcomes) {
  auto check = MakeCheck(BaseLists());
  Message m;
  m.client = "192.0.2.5";
  m.recipients = {"user@example.org", "abuse@example.org", "blocked@example.org"};
  Outcome outcome = RunMessage(*check, m);
  ASSERT_EQ(outcome.rcpt.size(), 3u);
  EXPECT_EQ(Describe(outcome.rcpt[0]), "reject LISTS_BLOCK_CLIENT");
  EXPECT_EQ(Describe(outcome.rcpt[1]), "none");
  EXPECT_EQ(Describe(outcome.rcpt[2]), "reject LISTS_BLOCK_RECIPIENT");
  EXPECT_EQ(outcome.result.status, CheckStatus::kPass);
  EXPECT_EQ(Symbols(outcome.result),
            "LISTS_BLOCK_CLIENT=10 LISTS_ALLOW_RECIPIENT=-20 LISTS_BLOCK_RECIPIENT=0");
}

struct ModeCase {
  const char* name;
  ConfigValue options;  // merged into BaseLists()
  Message message;
  std::string want_rcpt;
  std::string want_request;
};

TEST(ListsCheck, BlockActionTable) {
  Message client_blocked;
  client_blocked.client = "192.0.2.5";
  Message from_blocked;
  from_blocked.from_headers = {" eve@evil.example"};
  Message allowed;
  allowed.sender = "a@partner.example";
  const ModeCase cases[] = {
      {"score: symbols only", Table({{"block_action", Str("score")}}), client_blocked, "none",
       "none"},
      {"score: from", Table({{"block_action", Str("score")}}), from_blocked, "none", "none"},
      {"quarantine: decided at end", Table({{"block_action", Str("quarantine")}}), client_blocked,
       "none", "quarantine LISTS_BLOCK_CLIENT"},
      {"quarantine: from", Table({{"block_action", Str("quarantine")}}), from_blocked, "none",
       "quarantine LISTS_BLOCK_FROM_DOMAIN"},
      {"tempfail at rcpt", Table({{"block_action", Str("tempfail")}}), client_blocked,
       "tempfail LISTS_BLOCK_CLIENT", "tempfail LISTS_BLOCK_CLIENT"},
      {"tempfail: from", Table({{"block_action", Str("tempfail")}}), from_blocked, "none",
       "tempfail LISTS_BLOCK_FROM_DOMAIN"},
      {"allow_action score", Table({{"allow_action", Str("score")}}), allowed, "none", "none"},
  };
  for (const ModeCase& c : cases) {
    ConfigValue tree = BaseLists();
    for (const auto& [key, value] : c.options.fields) tree.fields[key] = value;
    auto check = MakeCheck(tree);
    ASSERT_TRUE(check) << c.name;
    Outcome outcome = RunMessage(*check, c.message);
    EXPECT_EQ(Describe(outcome.rcpt[0]), c.want_rcpt) << c.name;
    EXPECT_EQ(Describe(outcome.result.request), c.want_request) << c.name;
    EXPECT_NE(outcome.result.status, CheckStatus::kNone) << c.name;
  }
}

TEST(ListsCheck, ConfiguredRepliesAndScores) {
  ConfigValue tree = BaseLists();
  tree.fields["block_action"] = Str("tempfail");
  tree.fields["tempfail_code"] = Str("450");
  tree.fields["tempfail_enhanced_code"] = Str("4.7.25");
  tree.fields["tempfail_text"] = Str("Go away for now");
  tree.fields["scores"] =
      Table({{"LISTS_BLOCK_CLIENT", Num(7.5)}, {"LISTS_ALLOW_SENDER", Num(-3)}});
  auto check = MakeCheck(tree);
  ASSERT_TRUE(check);
  Message m;
  m.client = "192.0.2.5";
  Outcome outcome = RunMessage(*check, m);
  ASSERT_TRUE(outcome.rcpt[0]);
  EXPECT_EQ(outcome.rcpt[0]->action, Action::kTempfail);
  EXPECT_EQ(outcome.rcpt[0]->smtp_code, "450");
  EXPECT_EQ(outcome.rcpt[0]->enhanced_code, "4.7.25");
  EXPECT_EQ(outcome.rcpt[0]->text, "Go away for now");
  ASSERT_EQ(outcome.result.symbols.size(), 1u);
  EXPECT_EQ(outcome.result.symbols[0].score, 7.5);
  EXPECT_EQ(outcome.result.symbols[0].detail, "192.0.2.5");
}

}  // namespace
}  // namespace portcullis::lists
