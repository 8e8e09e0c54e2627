// What the daemon negotiates with the MTA, and the two measured TCP traps:
// TCP_NODELAY on the listening socket (libmilter does not set it), and
// unanswered headers acknowledged at once so that an MTA with Nagle on
// does not wait on our delayed ACK.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "client.h"
#include "daemon_process.h"
#include "tcp_segments.h"

namespace portcullis {
namespace {

using milterclient::Client;
using testing::DaemonProcess;
using testing::DataSegmentsReceived;
using ::testing::HasSubstr;

constexpr uint32_t kAllNoReply = SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT |
                                 SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_NR_EOH | SMFIP_NR_BODY |
                                 SMFIP_NR_HDR;

TEST(NegotiationTest, AsksOnlyForWhatTheEnabledChecksNeed) {
  DaemonProcess daemon("checks = {}\n");
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  Client client = Client::Connect(daemon.address());
  const auto& negotiated = client.Negotiate();
  EXPECT_TRUE(negotiated.Has(SMFIP_HDR_LEADSPC));
  EXPECT_TRUE(negotiated.Has(SMFIP_NOHELO));  // no check wants HELO
  EXPECT_TRUE(negotiated.Has(SMFIP_NOBODY));  // no check wants the body
  EXPECT_TRUE(negotiated.Has(SMFIP_NOEOH));
  EXPECT_TRUE(negotiated.Has(SMFIP_NOUNKNOWN));
  EXPECT_FALSE(negotiated.Has(SMFIP_NOCONNECT));
  EXPECT_FALSE(negotiated.Has(SMFIP_NOMAIL));
  EXPECT_FALSE(negotiated.Has(SMFIP_NORCPT));
  EXPECT_FALSE(negotiated.Has(SMFIP_NOHDRS));
  EXPECT_EQ(negotiated.actions, static_cast<uint32_t>(SMFIF_ADDHDRS | SMFIF_CHGHDRS |
                                                      SMFIF_QUARANTINE | SMFIF_SETSYMLIST));
  // The macros the engine uses are requested per stage.
  ASSERT_TRUE(negotiated.macro_lists.count(SMFIM_CONNECT));
  EXPECT_THAT(negotiated.macro_lists.at(SMFIM_CONNECT), HasSubstr("{client_addr}"));
  EXPECT_THAT(negotiated.macro_lists.at(SMFIM_CONNECT), HasSubstr("{daemon_name}"));
  ASSERT_TRUE(negotiated.macro_lists.count(SMFIM_ENVFROM));
  EXPECT_THAT(negotiated.macro_lists.at(SMFIM_ENVFROM), HasSubstr("{auth_authen}"));
  EXPECT_THAT(negotiated.macro_lists.at(SMFIM_ENVFROM), HasSubstr("{i}"));
  ASSERT_TRUE(negotiated.macro_lists.count(SMFIM_EOM));
  EXPECT_THAT(negotiated.macro_lists.at(SMFIM_EOM), HasSubstr("{i}"));
}

TEST(NegotiationTest, BodyAndHeloAreAskedForWhenAChecksNeedsThem) {
  DaemonProcess daemon(
      "checks = { bare_lf = {}, lists = { helo = { block = { \"bad.example\" } } } }\n");
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  Client client = Client::Connect(daemon.address());
  const auto& negotiated = client.Negotiate();
  EXPECT_FALSE(negotiated.Has(SMFIP_NOBODY));  // bare_lf reads the body
  EXPECT_FALSE(negotiated.Has(SMFIP_NOHELO));  // lists match the HELO name
}

// Trap 1 (bench/README.md): without TCP_NODELAY a header change followed by
// the verdict stalls on Nagle + delayed ACK (~40 ms a message). Look at the
// daemon's own listening socket: pidfd_getfd duplicates it into this process.
TEST(NegotiationTest, ListeningSocketHasNoDelay) {
  DaemonProcess daemon("checks = {}\n");
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, daemon.pid(), 0));
  ASSERT_GE(pidfd, 0) << "pidfd_open: " << strerror(errno);
  int port = std::stoi(daemon.address().substr(5));
  int checked = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(daemon.pid()) + "/fd")) {
    int target = std::stoi(entry.path().filename());
    int fd = static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, target, 0));
    if (fd < 0) continue;
    sockaddr_in address{};
    socklen_t length = sizeof(address);
    int listening = 0;
    socklen_t listening_length = sizeof(listening);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
        address.sin_family == AF_INET && ntohs(address.sin_port) == port &&
        getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &listening_length) == 0 &&
        listening) {
      int nodelay = 0;
      socklen_t nodelay_length = sizeof(nodelay);
      ASSERT_EQ(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &nodelay_length), 0);
      EXPECT_EQ(nodelay, 1);
      ++checked;
    }
    close(fd);
  }
  close(pidfd);
  EXPECT_EQ(checked, 1);
}

// The headers, which never get anything but "continue", go unanswered (one
// round trip a header less), on a unix socket and on TCP, where the daemon
// found the connection's socket; every other stage is still answered, DATA
// included (trap 2 of bench/README.md: Postfix waits
// on our delayed ACK after any stage we skip or leave unanswered on TCP).
TEST(NegotiationTest, LeavesOnlyHeadersUnanswered) {
  for (bool unix_socket : {true, false}) {
    for (const char* checks : {"checks = {}\n", "checks = { bare_lf = {}, lists = {} }\n"}) {
      DaemonProcess daemon(checks, unix_socket);
      ASSERT_TRUE(daemon.Start()) << daemon.Log();
      Client client = Client::Connect(daemon.address());
      const auto& negotiated = client.Negotiate();
      EXPECT_EQ(negotiated.protocol & kAllNoReply, static_cast<uint32_t>(SMFIP_NR_HDR))
          << daemon.address() << " " << checks;
      EXPECT_FALSE(negotiated.Has(SMFIP_NODATA)) << daemon.address() << " " << checks;
      // The connection's socket was found, so on both kinds edits and verdict
      // go out in one write (and on TCP headers are acknowledged at once).
      EXPECT_THAT(daemon.Log(), ::testing::Not(HasSubstr("connection socket")));
    }
  }
}

// The metrics exposer listens in the same process; the milter's own
// listener must still be the one the connection socket is matched against.
TEST(NegotiationTest, FindsTheConnectionSocketWithMetricsListeningToo) {
  int probe = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const int metrics_port = ntohs(address.sin_port);
  close(probe);
  DaemonProcess daemon("metrics = { listen = \"127.0.0.1:" + std::to_string(metrics_port) +
                       "\" }\nchecks = { bare_lf = {} }\n");
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  ASSERT_THAT(daemon.Log(), HasSubstr("metrics on"));
  Client client = Client::Connect(daemon.address());
  EXPECT_TRUE(client.Negotiate().Has(SMFIP_NR_HDR));
  EXPECT_THAT(daemon.Log(), ::testing::Not(HasSubstr("connection socket")));
}

// A client that leaves Nagle on for its socket, as Postfix does.
Client ConnectWithNagle(const DaemonProcess& daemon) {
  Client::Options nagle;
  nagle.tcp_nodelay = false;
  return Client::Connect(daemon.address(), nagle);
}

// Trap 2 on TCP: Postfix leaves Nagle on, so after an unanswered header the
// next command waits in its kernel for our ACK, which Linux delays by at
// least 40 ms. The daemon acknowledges the headers at once. A client with
// Nagle on, like Postfix, sends messages of a dozen headers on one
// connection: with delayed ACKs no message could finish in under 40 ms;
// the fastest of several must.
TEST(NegotiationTest, UnansweredHeadersAreAcknowledgedAtOnceOnTcp) {
  DaemonProcess daemon("checks = { bare_lf = {}, lists = {} }\n");
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  Client client = ConnectWithNagle(daemon);
  ASSERT_TRUE(client.Negotiate().Has(SMFIP_NR_HDR));
  std::string message;
  for (int i = 0; i < 12; ++i) message += "X-Header-" + std::to_string(i) + ": value\r\n";
  message += "From: a@example.org\r\nSubject: hi\r\n\r\nHello.\r\n";
  auto fastest = std::chrono::steady_clock::duration::max();
  for (int round = 0; round < 7; ++round) {
    auto start = std::chrono::steady_clock::now();
    milterclient::MessageResult result =
        round == 0
            ? client.SendMessage(milterclient::Envelope{}, message)
            : client.SendTransaction(milterclient::Envelope{}, milterclient::SplitMessage(message));
    auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(result.reached_eom);
    EXPECT_EQ(result.final.verdict, milterclient::Verdict::kAccept);
    fastest = std::min(fastest, elapsed);
  }
  EXPECT_LT(fastest, std::chrono::milliseconds(30))
      << "every message waited on a delayed ACK after an unanswered header";
}

// The quick ACK is sent once a message, at its first header: that takes the
// socket out of Linux's delayed-ACK mode until our next reply, so headers
// that arrive one segment at a time are still acknowledged as they are
// read. Here each header leaves the Nagle client on its own, a millisecond
// apart; a header left waiting on a delayed ACK would hold the rest of the
// message for 40 ms.
TEST(NegotiationTest, HeadersArrivingOneByOneAreEachAcknowledged) {
  DaemonProcess daemon("checks = { bare_lf = {}, lists = {} }\n");
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  Client client = ConnectWithNagle(daemon);
  ASSERT_TRUE(client.Negotiate().Has(SMFIP_NR_HDR));
  const milterclient::Envelope envelope;
  client.SendSessionStart(envelope);
  constexpr int kHeaders = 12;
  constexpr auto kGap = std::chrono::milliseconds(1);
  auto fastest = std::chrono::steady_clock::duration::max();
  for (int round = 0; round < 5; ++round) {
    auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(client.SendMail(envelope.mail_from).is_continue());
    ASSERT_TRUE(client.SendRcpt(envelope.rcpt_to[0]).is_continue());
    ASSERT_TRUE(client.SendData().is_continue());
    for (int i = 0; i < kHeaders; ++i) {
      client.SendHeader("X-Header-" + std::to_string(i), " value");
      std::this_thread::sleep_for(kGap);
    }
    client.SendBody("Hello.\r\n");
    EXPECT_EQ(client.SendEndOfMessage().verdict, milterclient::Verdict::kAccept);
    fastest = std::min(fastest, std::chrono::steady_clock::now() - start);
  }
  EXPECT_LT(fastest, kHeaders * kGap + std::chrono::milliseconds(20))
      << "a header that arrived on its own waited on a delayed ACK";
}

// At end of message the header edits and the verdict leave in one TCP
// segment, so the MTA wakes once for them rather than once per packet. With
// TCP_NODELAY, every reply otherwise is a segment of its own: the segments
// the client receives equal the stages answered, edits adding none.
TEST(NegotiationTest, HeaderEditsShareTheVerdictsSegmentOnTcp) {
  DaemonProcess daemon("checks = { bare_lf = {} }\n");
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  Client client = Client::Connect(daemon.address());
  milterclient::Envelope envelope;
  ASSERT_TRUE(client.SendSessionStart(envelope).stages.size() > 0);
  const std::string message =
      "From: a@example.org\r\nSubject: one\r\n"
      "Authentication-Results: mx.test; spf=pass smtp.mailfrom=example.org\r\n"
      "\r\nHello.\r\n";
  const uint32_t before = DataSegmentsReceived(client.transport().fd());
  milterclient::MessageResult result =
      client.SendTransaction(envelope, milterclient::SplitMessage(message));
  const uint32_t received = DataSegmentsReceived(client.transport().fd()) - before;
  ASSERT_TRUE(result.reached_eom);
  EXPECT_EQ(result.final.verdict, milterclient::Verdict::kAccept);
  // The forged A-R deleted, ours inserted: two edits ahead of the verdict.
  EXPECT_EQ(result.final.modifications.order.size(), 2u);
  uint32_t answered = 0;
  for (const auto& stage : result.stages) {
    if (stage.reply.code != 0) ++answered;
  }
  EXPECT_EQ(received, answered) << "header edits were sent in segments of their own";
}

// Unanswered headers still reach the checks and the engine in order: the
// forged Authentication-Results is deleted by its right occurrence, and a
// blocked From domain (seen only in a header) rejects the message. Two
// messages on one connection, so no stray reply is left in between.
TEST(NegotiationTest, UnansweredHeadersStillCount) {
  for (bool unix_socket : {true, false}) {
    DaemonProcess daemon(
        "checks = { bare_lf = {}, lists = { from_domain = { block = { \"phish.example\" } } } }\n",
        unix_socket);
    ASSERT_TRUE(daemon.Start()) << daemon.Log();
    Client client = Client::Connect(daemon.address());
    milterclient::Envelope envelope;
    const std::string clean =
        "From: a@example.org\r\nSubject: one\r\n"
        "Authentication-Results: other.example; dkim=pass\r\n"
        "Authentication-Results: mx.test; spf=pass smtp.mailfrom=example.org\r\n"
        "\r\nHello.\r\n";
    milterclient::MessageResult first = client.SendMessage(envelope, clean);
    ASSERT_TRUE(first.reached_eom);
    EXPECT_EQ(first.final.verdict, milterclient::Verdict::kAccept);
    ASSERT_EQ(first.final.modifications.changed_headers.size(), 1u);
    EXPECT_EQ(first.final.modifications.changed_headers[0].index, 2u);
    const std::string phish = "From: boss@phish.example\r\nSubject: two\r\n\r\nPay.\r\n";
    milterclient::MessageResult second =
        client.SendTransaction(envelope, milterclient::SplitMessage(phish));
    ASSERT_TRUE(second.reached_eom);
    EXPECT_EQ(second.final.verdict, milterclient::Verdict::kReplyCode);
    EXPECT_THAT(second.final.reply_text, ::testing::StartsWith("550 "));
    EXPECT_TRUE(daemon.WaitForLog("LISTS_BLOCK_FROM_DOMAIN")) << daemon.Log();
  }
}

TEST(NegotiationTest, UnixSocketGetsTheConfiguredMode) {
  DaemonProcess daemon("socket_mode = \"0666\"\nchecks = {}\n", /*unix_socket=*/true);
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  struct stat info {};
  ASSERT_EQ(stat(daemon.address().substr(5).c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0666u);
  Client client = Client::Connect(daemon.address());
  EXPECT_TRUE(client.Negotiate().Has(SMFIP_HDR_LEADSPC));
}

}  // namespace
}  // namespace portcullis
