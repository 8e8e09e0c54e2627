// The daemon's life: refusing a bad config, reloads (good and bad), and
// SIGTERM with a message in flight.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "client.h"
#include "daemon_process.h"

namespace portcullis {
namespace {

using milterclient::Client;
using milterclient::Envelope;
using milterclient::SplitMessage;
using milterclient::Verdict;
using ::testing::HasSubstr;
using testing::DaemonProcess;

constexpr char kMessage[] = "From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n";

std::string PolicyReturning(const std::string& action) {
  return "return function(report) return { action = \"" + action +
         "\", text = \"policy says " + action + "\" } end\n";
}

TEST(DaemonLifecycleTest, BadConfigRefusesToStartWithFileAndLine) {
  DaemonProcess daemon("checks = {}\nlimits = {\n  max_headers = \"lots\",\n}\n");
  EXPECT_FALSE(daemon.Start());
  EXPECT_EQ(daemon.Stop(), 2);
  EXPECT_THAT(daemon.Log(), HasSubstr("portcullis.lua:8: limits.max_headers: expected number"));
}

TEST(DaemonLifecycleTest, ReloadSwapsConfigAndBadReloadKeepsTheOld) {
  DaemonProcess daemon("policy = { file = \"policy.lua\" }\n");
  daemon.WriteFile("policy.lua", PolicyReturning("accept"));
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  Envelope envelope;
  EXPECT_EQ(Client::Connect(daemon.address()).SendMessage(envelope, kMessage).final.verdict,
            Verdict::kAccept);

  daemon.WriteFile("policy.lua", PolicyReturning("reject"));
  daemon.Signal(SIGUSR1);
  ASSERT_TRUE(daemon.WaitForLog("configuration reloaded")) << daemon.Log();
  auto rejected = Client::Connect(daemon.address()).SendMessage(envelope, kMessage);
  EXPECT_EQ(rejected.final.reply_text, "550 5.7.1 policy says reject");

  daemon.WriteFile("policy.lua", "return function(report)\n  return {\nend\n");
  daemon.Signal(SIGUSR1);
  ASSERT_TRUE(daemon.WaitForLog("reload failed")) << daemon.Log();
  EXPECT_THAT(daemon.Log(), HasSubstr("policy.lua:3:"));
  auto still = Client::Connect(daemon.address()).SendMessage(envelope, kMessage);
  EXPECT_EQ(still.final.reply_text, "550 5.7.1 policy says reject");
  EXPECT_TRUE(daemon.Running());
}

TEST(DaemonLifecycleTest, InFlightMessageFinishesAfterSigterm) {
  DaemonProcess daemon("checks = {}\n");
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  Client client = Client::Connect(daemon.address());
  Envelope envelope;
  ASSERT_TRUE(client.SendSessionStart(envelope).final.proceeds());
  ASSERT_TRUE(client.SendMail("<a@example.org>").proceeds());
  ASSERT_TRUE(client.SendRcpt("<b@example.net>").proceeds());
  daemon.Signal(SIGTERM);
  // libmilter stops accepting but keeps serving the open connection; give
  // the signal time to land before the message goes on.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto message = SplitMessage(kMessage);
  for (const auto& header : message.headers) {
    ASSERT_TRUE(client.SendHeader(header.name, header.value).proceeds());
  }
  auto reply = client.SendEndOfMessage();
  EXPECT_EQ(reply.verdict, Verdict::kAccept);
  client.SendQuit();
  EXPECT_EQ(daemon.Stop(), 0) << daemon.Log();
  EXPECT_THAT(daemon.Log(), HasSubstr("verdict=accept"));
}

// While a message drains, new MTA connections must fail within libmilter's
// 5 s listener tick (so the MTA applies its default action well inside its
// milter timeouts) and must not wedge libmilter's listener, or the daemon
// would never exit.
TEST(DaemonLifecycleTest, NewConnectionsAreRefusedWhileDraining) {
  // The late connection can take libmilter's 5 s tick to fail; the drain
  // must outlast it (the later assignment wins in the Lua config).
  DaemonProcess daemon("checks = {}\ntimeouts = { drain_ms = 30000 }\n");
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  Client client = Client::Connect(daemon.address());
  Envelope envelope;
  ASSERT_TRUE(client.SendSessionStart(envelope).final.proceeds());
  ASSERT_TRUE(client.SendMail("<a@example.org>").proceeds());
  daemon.Signal(SIGTERM);
  ASSERT_TRUE(daemon.WaitForLog("closing the listener")) << daemon.Log();
  // A connection attempt now fails, bounded, instead of hanging.
  auto started = std::chrono::steady_clock::now();
  bool refused = false;
  try {
    milterclient::Client::Options options;
    options.timeout = std::chrono::seconds(10);
    Client late = Client::Connect(daemon.address(), options);
    late.Negotiate();
  } catch (const milterclient::MilterError&) {
    refused = true;
  }
  EXPECT_TRUE(refused);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(7));
  ASSERT_TRUE(client.SendRcpt("<b@example.net>").proceeds());
  EXPECT_EQ(client.SendEndOfMessage().verdict, Verdict::kAccept);
  client.SendQuit();
  EXPECT_EQ(daemon.Stop(std::chrono::seconds(20)), 0) << daemon.Log();
}

}  // namespace
}  // namespace portcullis
