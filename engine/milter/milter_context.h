// Per-connection state kept behind smfi_setpriv: the Session and what was
// negotiated with the MTA. Never thread-local: Debian's libmilter runs one
// connection's callbacks on different pool threads (one at a time).
#pragma once

#include <libmilter/mfapi.h>

#include <atomic>
#include <memory>
#include <string>

#include "config/snapshot.h"
#include "pipeline/session.h"

namespace portcullis {

struct MilterConnection {
  explicit MilterConnection(Session::SnapshotSource snapshots) : session(std::move(snapshots)) {}
  Session session;
  bool leading_space = false;      // SMFIP_HDR_LEADSPC agreed
  bool can_skip = false;           // SMFIP_SKIP agreed
  bool no_header_replies = false;  // SMFIP_NR_HDR agreed
  unsigned long actions = 0;       // SMFIF_* agreed
  // The MTA connection's socket when found (see milter_connection_socket.h):
  // unanswered headers are acknowledged at once on TCP, and edits go out
  // with the verdict in one write.
  int mta_socket = -1;
  bool mta_socket_is_tcp = false;
  // Quick ACKs switched on for this message's headers (see OnHeader).
  bool headers_acknowledged = false;
  bool in_message = false;  // between MAIL FROM and its end (for draining)
};

// Set once before the listener starts, read by the callbacks.
void SetMilterSnapshots(SnapshotHolder* snapshots);
SnapshotHolder* MilterSnapshots();
// What the listener is, which decides what is negotiated (see OnNegotiate).
// Set once after the socket is opened, before libmilter starts its threads.
struct MilterListenerKind {
  bool unix_socket = false;
  int tcp_port = 0;       // the listening port on TCP
  std::string unix_path;  // the socket's path on a unix socket
};
void SetMilterListenerKind(MilterListenerKind kind);
// Connections with a live MilterConnection, for draining at shutdown.
std::atomic<int>& ActiveMilterConnections();
// Messages between MAIL FROM and end of message or abort, for draining.
std::atomic<int>& InFlightMilterMessages();

// The callback table for smfi_register.
::smfiDesc* MilterCallbacks();

}  // namespace portcullis
