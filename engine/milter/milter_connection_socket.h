// The MTA connection's own socket, which libmilter does not expose, and the
// one thing done with it: sending the ACK of an unanswered command at once.
//
// Why: Postfix leaves Nagle on for its milter socket. When a stage goes
// unanswered (SMFIP_NR_HDR), Postfix writes the next command at once and
// Nagle holds it until our ACK of the previous one, which Linux delays by
// 40 ms: measured 22.5 messages/s on one session instead of ~300. An
// immediate ACK (TCP_QUICKACK) releases it without a reply packet.
#pragma once

#include <libmilter/mfapi.h>

#include <string_view>

namespace portcullis {

// The TCP socket of `ctx`'s connection, or -1 when it cannot be found with
// certainty. Reads libmilter's context, whose first two members have been
// the thread id and the socket since libmilter 8.14 (libmilter.h), and
// accepts the descriptor only when it is a connected TCP socket on our own
// listening port, so a different layout yields -1, never a wrong socket.
int FindMilterConnectionSocket(SMFICTX* ctx, int listening_port);

// The local port of an IPv4 or IPv6 socket, or -1.
int LocalTcpPort(int fd);

// Sends the ACK the kernel is holding back for data already received.
void AcknowledgeNow(int socket_fd);

// Writes `bytes` with MSG_MORE: the kernel holds them until the next write
// without it (libmilter's reply, right after the callback returns), so both
// leave in one segment and the MTA wakes once. Waits at most `timeout_ms`
// for room in the send buffer. False if the connection failed; some bytes
// may have been written then, and the connection is lost either way.
bool WriteAheadOfReply(int socket_fd, std::string_view bytes, int timeout_ms);

}  // namespace portcullis
