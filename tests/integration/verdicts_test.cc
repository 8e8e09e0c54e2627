// Every verdict and header change as the MTA sees it over the milter
// protocol, several messages per connection, and abort mid-message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "client.h"
#include "daemon_process.h"

namespace portcullis {
namespace {

using milterclient::Client;
using milterclient::Envelope;
using milterclient::MessageResult;
using milterclient::SplitMessage;
using milterclient::Verdict;
using ::testing::HasSubstr;
using testing::DaemonProcess;

// A policy that decides by the first recipient's local part.
constexpr char kPolicy[] = R"(
return function(report)
  local rcpt = report.envelope.rcpts[1] or ""
  if rcpt:find("^reject@") then
    return { action = "reject", code = "550", xcode = "5.7.1", text = "Go away 100%" }
  elseif rcpt:find("^tempfail@") then
    return { action = "tempfail", code = "451", xcode = "4.7.1", text = "Come back later" }
  elseif rcpt:find("^hold@") then
    return { action = "quarantine", reason = "held for review" }
  elseif rcpt:find("^holdnul@") then
    return { action = "quarantine", reason = "held\0tail" }
  elseif rcpt:find("^discard@") then
    return "discard"
  elseif rcpt:find("^loop@") then
    while true do end
  end
  return { action = "accept", headers = { ["X-Policy"] = "seen " .. report.envelope.from } }
end
)";

constexpr char kMessage[] =
    "From: Sender <sender@example.org>\r\n"
    "To: rcpt@example.net\r\n"
    "Subject: test\r\n"
    "Authentication-Results: mx.test; spf=pass smtp.mailfrom=example.org\r\n"
    "Authentication-Results: other.example; dkim=pass\r\n"
    "\r\n"
    "Hello.\r\n";

class VerdictsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<DaemonProcess>("policy = { file = \"policy.lua\" }\nchecks = {}\n");
    daemon_->WriteFile("policy.lua", kPolicy);
    ASSERT_TRUE(daemon_->Start()) << daemon_->Log();
  }

  static Envelope To(const std::string& rcpt) {
    Envelope envelope;
    envelope.rcpt_to = {"<" + rcpt + ">"};
    envelope.eom_macros = {{"i", "QID" + rcpt.substr(0, rcpt.find('@'))}};
    return envelope;
  }

  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(VerdictsTest, AcceptAddsOurHeadersAndRemovesForgedResults) {
  Client client = Client::Connect(daemon_->address());
  MessageResult result = client.SendMessage(To("rcpt@example.net"), kMessage);
  ASSERT_TRUE(result.reached_eom);
  EXPECT_EQ(result.final.verdict, Verdict::kAccept);
  const auto& changes = result.final.modifications;
  ASSERT_EQ(changes.inserted_headers.size(), 1u);
  EXPECT_EQ(changes.inserted_headers[0].index, 0u);
  EXPECT_EQ(changes.inserted_headers[0].name, "Authentication-Results");
  // With SMFIP_HDR_LEADSPC the value carries its own leading space.
  EXPECT_EQ(changes.inserted_headers[0].value, " mx.test; none");
  ASSERT_EQ(changes.changed_headers.size(), 1u);  // only the one claiming mx.test
  EXPECT_EQ(changes.changed_headers[0].name, "Authentication-Results");
  EXPECT_EQ(changes.changed_headers[0].index, 1u);
  EXPECT_EQ(changes.changed_headers[0].value, "");
  std::map<std::string, std::string> added;
  for (const auto& header : changes.added_headers) added[header.name] = header.value;
  // Nothing scored: no score or symbols header (absence means score 0).
  EXPECT_EQ(added.count("X-Portcullis-Score"), 0u);
  EXPECT_EQ(added.count("X-Portcullis-Symbols"), 0u);
  EXPECT_EQ(added["X-Policy"], " seen sender@example.org");
  EXPECT_TRUE(daemon_->WaitForLog("queue_id=QIDrcpt client=mail.example.org[192.0.2.10] "
                                  "from=<sender@example.org> rcpts=<rcpt@example.net> "
                                  "verdict=accept score=0.00"))
      << daemon_->Log();
}

TEST_F(VerdictsTest, RejectCarriesCodeAndText) {
  Client client = Client::Connect(daemon_->address());
  MessageResult result = client.SendMessage(To("reject@example.net"), kMessage);
  EXPECT_EQ(result.final.verdict, Verdict::kReplyCode);
  // libmilter passes the text to the MTA as a format string: '%' is sent
  // doubled and the MTA shows one (tests/e2e checks what the client sees).
  EXPECT_EQ(result.final.reply_text, "550 5.7.1 Go away 100%%");
  EXPECT_TRUE(result.final.modifications.empty());
  EXPECT_TRUE(daemon_->WaitForLog("verdict=reject reply=\"550 5.7.1 Go away 100%\""))
      << daemon_->Log();
}

TEST_F(VerdictsTest, TempfailCarriesCodeAndText) {
  Client client = Client::Connect(daemon_->address());
  MessageResult result = client.SendMessage(To("tempfail@example.net"), kMessage);
  EXPECT_EQ(result.final.verdict, Verdict::kReplyCode);
  EXPECT_EQ(result.final.reply_text, "451 4.7.1 Come back later");
}

TEST_F(VerdictsTest, QuarantineGivesReasonAndHeader) {
  Client client = Client::Connect(daemon_->address());
  MessageResult result = client.SendMessage(To("hold@example.net"), kMessage);
  EXPECT_EQ(result.final.verdict, Verdict::kAccept);
  ASSERT_TRUE(result.final.modifications.quarantine_reason.has_value());
  EXPECT_EQ(*result.final.modifications.quarantine_reason, "held for review");
  bool header = false;
  for (const auto& added : result.final.modifications.added_headers) {
    if (added.name == "X-Portcullis-Quarantine") {
      header = true;
      EXPECT_EQ(added.value, " held for review");
    }
  }
  EXPECT_TRUE(header);
  EXPECT_TRUE(daemon_->WaitForLog("verdict=quarantine")) << daemon_->Log();
  EXPECT_TRUE(daemon_->WaitForLog("reason=\"held for review\"")) << daemon_->Log();
}

// A NUL in the policy's reason ends it, as smfi_quarantine's C string
// would; the quarantine packet stays well formed and the connection usable.
TEST_F(VerdictsTest, QuarantineReasonEndsAtNul) {
  Client client = Client::Connect(daemon_->address());
  MessageResult held = client.SendMessage(To("holdnul@example.net"), kMessage);
  EXPECT_EQ(held.final.verdict, Verdict::kAccept);
  ASSERT_TRUE(held.final.modifications.quarantine_reason.has_value());
  EXPECT_EQ(*held.final.modifications.quarantine_reason, "held");
  MessageResult next = client.SendTransaction(To("rcpt@example.net"), SplitMessage(kMessage));
  EXPECT_EQ(next.final.verdict, Verdict::kAccept);
}

TEST_F(VerdictsTest, DiscardIsPassedThrough) {
  Client client = Client::Connect(daemon_->address());
  MessageResult result = client.SendMessage(To("discard@example.net"), kMessage);
  EXPECT_EQ(result.final.verdict, Verdict::kDiscard);
}

TEST_F(VerdictsTest, RunawayPolicyGivesFallbackAndDaemonLives) {
  Client client = Client::Connect(daemon_->address());
  MessageResult result = client.SendMessage(To("loop@example.net"), kMessage);
  EXPECT_EQ(result.final.verdict, Verdict::kReplyCode);
  EXPECT_EQ(result.final.reply_text, "451 4.3.0 Temporary local problem, try again later");
  EXPECT_TRUE(daemon_->WaitForLog("instruction limit exceeded")) << daemon_->Log();
  Client again = Client::Connect(daemon_->address());
  EXPECT_EQ(again.SendMessage(To("rcpt@example.net"), kMessage).final.verdict, Verdict::kAccept);
}

TEST_F(VerdictsTest, SeveralMessagesOnOneConnectionWithAbortBetween) {
  Client client = Client::Connect(daemon_->address());
  client.Negotiate();
  Envelope envelope = To("rcpt@example.net");
  ASSERT_TRUE(client.SendSessionStart(envelope).final.proceeds());
  auto message = SplitMessage(kMessage);

  EXPECT_EQ(client.SendTransaction(To("reject@example.net"), message).final.verdict,
            Verdict::kReplyCode);
  // Abort in the middle of the next message: headers sent, no end.
  EXPECT_TRUE(client.SendMail("<sender@example.org>").proceeds());
  EXPECT_TRUE(client.SendRcpt("<hold@example.net>").proceeds());
  EXPECT_TRUE(client.SendHeader("Subject", " half").proceeds());
  client.SendAbort();
  MessageResult third = client.SendTransaction(To("rcpt@example.net"), message);
  EXPECT_EQ(third.final.verdict, Verdict::kAccept);
  EXPECT_FALSE(third.final.modifications.quarantine_reason.has_value());
  MessageResult fourth = client.SendTransaction(To("hold@example.net"), message);
  EXPECT_TRUE(fourth.final.modifications.quarantine_reason.has_value());
  client.SendQuit();
  EXPECT_TRUE(daemon_->WaitForLog("verdict=", 3)) << daemon_->Log();
  std::string log = daemon_->Log();
  EXPECT_THAT(log, HasSubstr("rcpts=<reject@example.net> verdict=reject"));
  EXPECT_THAT(log, HasSubstr("rcpts=<rcpt@example.net> verdict=accept"));
  EXPECT_THAT(log, HasSubstr("rcpts=<hold@example.net> verdict=quarantine"));
}

TEST_F(VerdictsTest, ManyConcurrentConnections) {
  constexpr int kThreads = 8;
  constexpr int kMessagesEach = 25;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kMessagesEach; ++i) {
        Client client = Client::Connect(daemon_->address());
        if (client.SendMessage(To("rcpt@example.net"), kMessage).final.verdict ==
            Verdict::kAccept) {
          ++accepted;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted, kThreads * kMessagesEach);
}

}  // namespace
}  // namespace portcullis
