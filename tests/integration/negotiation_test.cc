// What the daemon negotiates with the MTA, and the two measured TCP traps
// guarded structurally: no SMFIP_NR_* flags on TCP, and TCP_NODELAY on the
// listening socket (libmilter does not set it). On a unix socket, where
// neither trap exists, the headers go unanswered.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>

#include "client.h"
#include "daemon_process.h"

namespace portcullis {
namespace {

using milterclient::Client;
using ::testing::HasSubstr;
using testing::DaemonProcess;

constexpr uint32_t kAllNoReply = SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL |
                                 SMFIP_NR_RCPT | SMFIP_NR_DATA | SMFIP_NR_UNKN |
                                 SMFIP_NR_EOH | SMFIP_NR_BODY | SMFIP_NR_HDR;

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

// Trap 2 (bench/README.md): with no-reply flags, or with DATA skipped,
// Postfix writes two small packets back to back and waits on our delayed
// ACK (~40 ms a message); on TCP we ask for every reply and answer DATA.
TEST(NegotiationTest, NeverLeavesPostfixWritingUnanswered) {
  for (const char* checks : {"checks = {}\n", "checks = { bare_lf = {}, lists = {} }\n"}) {
    DaemonProcess daemon(checks);
    ASSERT_TRUE(daemon.Start()) << daemon.Log();
    Client client = Client::Connect(daemon.address());
    const auto& negotiated = client.Negotiate();
    EXPECT_EQ(negotiated.protocol & kAllNoReply, 0u) << checks;
    EXPECT_FALSE(negotiated.Has(SMFIP_NODATA)) << checks;
  }
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

// A unix socket has no Nagle and no delayed ACK: the headers, which never
// get anything but "continue", go unanswered (one round trip a header
// less); every other stage is still answered, DATA included.
TEST(NegotiationTest, UnixSocketLeavesOnlyHeadersUnanswered) {
  DaemonProcess daemon("checks = { bare_lf = {}, lists = {} }\n", /*unix_socket=*/true);
  ASSERT_TRUE(daemon.Start()) << daemon.Log();
  Client client = Client::Connect(daemon.address());
  const auto& negotiated = client.Negotiate();
  EXPECT_TRUE(negotiated.Has(SMFIP_NR_HDR));
  EXPECT_EQ(negotiated.protocol & kAllNoReply, static_cast<uint32_t>(SMFIP_NR_HDR));
  EXPECT_FALSE(negotiated.Has(SMFIP_NODATA));
}

// Unanswered headers still reach the checks and the engine in order: the
// forged Authentication-Results is deleted by its right occurrence, and a
// blocked From domain (seen only in a header) rejects the message. Two
// messages on one connection, so no stray reply is left in between.
TEST(NegotiationTest, UnansweredHeadersStillCount) {
  DaemonProcess daemon(
      "checks = { bare_lf = {}, lists = { from_domain = { block = { \"phish.example\" } } } }\n",
      /*unix_socket=*/true);
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
