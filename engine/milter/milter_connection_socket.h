// The MTA connection's own socket, which libmilter does not expose, and
// what is done with it: sending the ACK of an unanswered command at once,
// and writing header edits together with the verdict.
//
// Why the ACK: Postfix leaves Nagle on for its milter socket. When a stage goes
// unanswered (SMFIP_NR_HDR), Postfix writes the next command at once and
// Nagle holds it until our ACK of the previous one, which Linux delays by
// 40 ms: measured 22.5 messages/s on one session instead of ~300. An
// immediate ACK (TCP_QUICKACK) releases it without a reply packet.
// Why the single write: libmilter writes each edit as a packet of its own,
// and the MTA wakes up for each (with TCP_NODELAY each is a TCP segment).
#pragma once

#include <libmilter/mfapi.h>

#include <atomic>
#include <string>
#include <string_view>

namespace portcullis {

// Finds the socket of a connection's context for one listener (TCP on
// `tcp_port`, or unix on `unix_path`, whichever is set). Thread-safe.
class MilterSocketFinder {
 public:
  MilterSocketFinder(int tcp_port, std::string unix_path);

  // The socket of `ctx`'s connection, or -1 when it cannot be found with
  // certainty. Reads libmilter's context, whose first two members have been
  // the thread id and the socket since libmilter 8.14 (libmilter.h), and
  // accepts the descriptor only when it is a connected stream socket on our
  // own listener, so a different layout yields -1, never a wrong socket.
  // Where the socket sits is a property of the libmilter build, not of a
  // connection: once the descriptor there has passed those checks on
  // kTrustAfter connections, later ones take it as read, which spares each
  // connection the four or five system calls of the checks.
  int Find(SMFICTX* ctx);

  static constexpr int kTrustAfter = 3;

 private:
  bool IsOurConnection(int fd) const;

  const int tcp_port_;
  const std::string unix_path_;
  std::atomic<int> confirmed_{0};
};

// The local port of an IPv4 or IPv6 socket, or -1.
int LocalTcpPort(int fd);

// Sends the ACK the kernel is holding back for data already received, and
// has Linux acknowledge further data as it is read, until we next send.
void AcknowledgeNow(int socket_fd);

// Writes all of `bytes`, waiting at most `timeout_ms` for room in the send
// buffer. False if the connection failed; some bytes may have been written
// then, and the connection is lost either way.
bool WriteAll(int socket_fd, std::string_view bytes, int timeout_ms);

}  // namespace portcullis
