// libmilter callbacks: translate each MTA event into a Session call and each
// StageReply / end-of-message outcome back into libmilter replies.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "metrics/engine_metrics.h"
#include "milter/header_edit_packets.h"
#include "milter/milter_connection_socket.h"
#include "milter/milter_context.h"
#include "portcullis/log.h"

namespace portcullis {
namespace {

SnapshotHolder* g_snapshots = nullptr;          // set once before smfi_main
MilterListenerKind g_listener;                  // likewise
MilterSocketFinder* g_socket_finder = nullptr;  // likewise, for g_listener
std::atomic<bool> g_warned_no_socket{false};
// A few hundred bytes into an idle connection's send buffer; the bound only
// matters when the MTA stopped reading, and stays under its milter timeouts.
constexpr int kEditWriteTimeoutMs = 10000;

MilterConnection* Connection(SMFICTX* ctx) {
  return static_cast<MilterConnection*>(smfi_getpriv(ctx));
}

MilterConnection* EnsureConnection(SMFICTX* ctx) {
  MilterConnection* connection = Connection(ctx);
  if (!connection) {
    connection = new MilterConnection([] { return g_snapshots->Get(); });
    smfi_setpriv(ctx, connection);
    ++ActiveMilterConnections();
    EngineMetrics::Get().ConnectionOpened();
  }
  return connection;
}

std::string Macro(SMFICTX* ctx, const char* name) {
  char* value = smfi_getsymval(ctx, const_cast<char*>(name));
  return value ? value : "";
}

void CopyMacros(SMFICTX* ctx, MilterConnection* connection,
                std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const char* value = smfi_getsymval(ctx, const_cast<char*>(name));
    if (!value || !*value) continue;
    std::string_view key(name);
    if (key.size() > 2 && key.front() == '{') key = key.substr(1, key.size() - 2);
    connection->session.SetMacro(key, value);
  }
}

// libmilter hands the reply text to the MTA, where Sendmail treats '%' as
// a format character; double it so the text arrives as written.
std::string EscapePercent(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '%') out += '%';
  }
  return out;
}

void BeginMessage(MilterConnection* connection) {
  if (connection->in_message) return;
  connection->in_message = true;
  connection->headers_acknowledged = false;
  ++InFlightMilterMessages();
}

void EndMessage(MilterConnection* connection) {
  if (!connection->in_message) return;
  connection->in_message = false;
  --InFlightMilterMessages();
}

sfsistat Apply(SMFICTX* ctx, const StageReply& reply, bool can_skip) {
  switch (reply.kind) {
    case StageReply::Kind::kContinue: return SMFIS_CONTINUE;
    case StageReply::Kind::kAccept: return SMFIS_ACCEPT;
    case StageReply::Kind::kDiscard: return SMFIS_DISCARD;
    case StageReply::Kind::kSkip: return can_skip ? SMFIS_SKIP : SMFIS_CONTINUE;
    case StageReply::Kind::kReject:
    case StageReply::Kind::kTempfail: {
      std::string text = EscapePercent(reply.text);
      smfi_setreply(ctx, const_cast<char*>(reply.smtp_code.c_str()),
                    const_cast<char*>(reply.enhanced_code.c_str()), text.data());
      return reply.kind == StageReply::Kind::kReject ? SMFIS_REJECT : SMFIS_TEMPFAIL;
    }
  }
  return SMFIS_CONTINUE;
}

bool EditAllowed(const MilterConnection& connection, const HeaderEdit& edit) {
  return (connection.actions &
          (edit.kind == HeaderEdit::Kind::kDelete ? SMFIF_CHGHDRS : SMFIF_ADDHDRS)) != 0;
}

void ApplyHeaderEditsThroughLibmilter(SMFICTX* ctx, const MilterConnection& connection,
                                      const std::vector<HeaderEdit>& edits) {
  const std::string space = connection.leading_space ? " " : "";
  for (const HeaderEdit& edit : edits) {
    char* name = const_cast<char*>(edit.name.c_str());
    std::string value = space + edit.value;
    switch (edit.kind) {
      case HeaderEdit::Kind::kDelete: smfi_chgheader(ctx, name, edit.index, nullptr); break;
      case HeaderEdit::Kind::kInsert: smfi_insheader(ctx, edit.index, name, value.data()); break;
      case HeaderEdit::Kind::kAppend: smfi_addheader(ctx, name, value.data()); break;
    }
  }
}

// Edits, quarantine and accept in one write, in the order libmilter would
// send them one by one; the caller then returns SMFIS_NOREPLY, which at end
// of message makes libmilter send nothing and leaves it in the state
// SMFIS_CONTINUE would. Returns false if the connection failed.
bool WriteEditsAndAccept(const MilterConnection& connection, const std::vector<HeaderEdit>& edits,
                         const std::string* quarantine_reason) {
  std::string packets;
  for (const HeaderEdit& edit : edits) {
    if (EditAllowed(connection, edit)) {
      AppendHeaderEditPacket(edit, connection.leading_space, &packets);
    }
  }
  if (quarantine_reason && (connection.actions & SMFIF_QUARANTINE)) {
    // A C string, as smfi_quarantine sends it: up to the first NUL, then NUL.
    const char* reason = quarantine_reason->c_str();
    AppendReplyPacket(SMFIR_QUARANTINE, std::string_view(reason, std::strlen(reason) + 1),
                      &packets);
  }
  AppendReplyPacket(SMFIR_ACCEPT, "", &packets);
  return WriteAll(connection.mta_socket, packets, kEditWriteTimeoutMs);
}

sfsistat OnNegotiate(SMFICTX* ctx, unsigned long actions, unsigned long steps, unsigned long,
                     unsigned long, unsigned long* want_actions, unsigned long* want_steps,
                     unsigned long* want_f2, unsigned long* want_f3) {
  MilterConnection* connection = EnsureConnection(ctx);
  StageMask stages = connection->session.CurrentSnapshot()->stages;
  *want_actions = actions & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE | SMFIF_SETSYMLIST);
  unsigned long wanted = SMFIP_HDR_LEADSPC | SMFIP_SKIP | SMFIP_NOUNKNOWN;
  // Only the stages some enabled check needs. Connect, MAIL, RCPT and the
  // headers are always needed by the engine itself (summary line, recipient
  // limit, removal of forged Authentication-Results).
  if (!(stages & kStageHelo)) wanted |= SMFIP_NOHELO;
  if (!(stages & kStageEndOfHeaders)) wanted |= SMFIP_NOEOH;
  if (!(stages & kStageBody)) wanted |= SMFIP_NOBODY;
  // The headers go unanswered (SMFIP_NR_HDR): one round trip a header
  // less. The header stage never refuses (checks decide on headers at end of
  // message), so nothing is lost by not answering it. Every other stage is
  // answered, and DATA is never skipped (SMFIP_NODATA), so Postfix waits for
  // us there (measured on TCP through Postfix: 21.8 messages/s with NODATA).
  // A unix socket has no Nagle and no delayed ACK. On TCP, Postfix leaves
  // Nagle on: after an unanswered header it writes the next one and waits
  // for our ACK, which Linux delays by 40 ms (measured through Postfix, one
  // session: 22.5 messages/s with NR_*, ~290 answering every stage). So on
  // TCP the headers go unanswered only when we hold the connection's socket
  // and can send that ACK at once (OnHeader); otherwise all are answered.
  // See bench/README.md.
  connection->mta_socket = g_socket_finder ? g_socket_finder->Find(ctx) : -1;
  connection->mta_socket_is_tcp = connection->mta_socket >= 0 && !g_listener.unix_socket;
  if (connection->mta_socket < 0 && !g_warned_no_socket.exchange(true)) {
    LogWarning(std::string("cannot find libmilter's connection socket (libmilter changed?); ") +
               (g_listener.unix_socket ? "header edits go out one packet each"
                                       : "answering every header on TCP, one round trip each"));
  }
  if (g_listener.unix_socket || connection->mta_socket_is_tcp) wanted |= SMFIP_NR_HDR;
  *want_steps = steps & wanted;
  *want_f2 = 0;
  *want_f3 = 0;
  connection->actions = *want_actions;
  connection->leading_space = (*want_steps & SMFIP_HDR_LEADSPC) != 0;
  connection->can_skip = (*want_steps & SMFIP_SKIP) != 0;
  connection->no_header_replies = (*want_steps & SMFIP_NR_HDR) != 0;
  if (actions & SMFIF_SETSYMLIST) {
    smfi_setsymlist(ctx, SMFIM_CONNECT,
                    const_cast<char*>("j {client_addr} {client_name} {client_port} {daemon_name}"));
    smfi_setsymlist(ctx, SMFIM_ENVFROM, const_cast<char*>("{i} {auth_authen} {auth_type}"));
    smfi_setsymlist(ctx, SMFIM_ENVRCPT, const_cast<char*>("{i}"));
    smfi_setsymlist(ctx, SMFIM_EOH, const_cast<char*>("{i}"));
    smfi_setsymlist(ctx, SMFIM_EOM, const_cast<char*>("{i}"));
  }
  return SMFIS_CONTINUE;
}

sfsistat OnConnect(SMFICTX* ctx, char* hostname, _SOCK_ADDR* address) {
  MilterConnection* connection = EnsureConnection(ctx);
  // {j}, the MTA's own host name, is SPF's receiver (RFC 7208 7.3, 9.1).
  CopyMacros(ctx, connection, {"j", "{daemon_name}", "{client_addr}", "{client_name}"});
  ConnectionInfo info;
  info.client_name = hostname ? hostname : "unknown";
  info.daemon_name = Macro(ctx, "{daemon_name}");
  if (address && address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    std::array<uint8_t, 4> bytes;
    std::memcpy(bytes.data(), &v4->sin_addr, 4);
    info.client_addr = IpAddress::FromV4(bytes);
    info.client_port = ntohs(v4->sin_port);
  } else if (address && address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    std::array<uint8_t, 16> bytes;
    std::memcpy(bytes.data(), &v6->sin6_addr, 16);
    info.client_addr = IpAddress::FromV6(bytes);
    info.client_port = ntohs(v6->sin6_port);
  } else {
    // Local submission (unix socket / pickup): the MTA may still say which
    // address it means in {client_addr}.
    info.client_addr = IpAddress::Parse(Macro(ctx, "{client_addr}"));
  }
  info.client_addr_text = info.client_addr ? info.client_addr->ToString() : "local";
  return Apply(ctx, connection->session.Connect(std::move(info)), connection->can_skip);
}

sfsistat OnHelo(SMFICTX* ctx, char* helo) {
  MilterConnection* connection = EnsureConnection(ctx);
  return Apply(ctx, connection->session.Helo(helo ? helo : ""), connection->can_skip);
}

sfsistat OnMailFrom(SMFICTX* ctx, char** argv) {
  MilterConnection* connection = EnsureConnection(ctx);
  CopyMacros(ctx, connection, {"i", "{auth_authen}", "{auth_type}"});
  BeginMessage(connection);
  sfsistat status = Apply(ctx, connection->session.MailFrom(argv && argv[0] ? argv[0] : ""),
                          connection->can_skip);
  if (status != SMFIS_CONTINUE) EndMessage(connection);
  return status;
}

sfsistat OnRcpt(SMFICTX* ctx, char** argv) {
  MilterConnection* connection = EnsureConnection(ctx);
  CopyMacros(ctx, connection, {"i"});
  return Apply(ctx, connection->session.Rcpt(argv && argv[0] ? argv[0] : ""), connection->can_skip);
}

sfsistat OnHeader(SMFICTX* ctx, char* name, char* value) {
  MilterConnection* connection = EnsureConnection(ctx);
  StageReply reply = connection->session.Header(name ? name : "", value ? value : "");
  // With SMFIP_NR_HDR any reply would be read by the MTA as the answer to
  // its next command; the header stage only ever continues anyway.
  if (connection->no_header_replies) {
    // Once a message is enough: it takes the socket out of Linux's delayed
    // ACK mode, which only our next reply (at end of headers or body) puts
    // it back in, so the later headers are acknowledged as they are read.
    if (connection->mta_socket_is_tcp && !connection->headers_acknowledged) {
      AcknowledgeNow(connection->mta_socket);
      connection->headers_acknowledged = true;
    }
    return SMFIS_NOREPLY;
  }
  return Apply(ctx, reply, connection->can_skip);
}

// Answered only so that Postfix waits for us at DATA (see OnNegotiate).
sfsistat OnData(SMFICTX*) { return SMFIS_CONTINUE; }

sfsistat OnEndOfHeaders(SMFICTX* ctx) {
  MilterConnection* connection = EnsureConnection(ctx);
  CopyMacros(ctx, connection, {"i"});
  return Apply(ctx, connection->session.EndOfHeaders(), connection->can_skip);
}

sfsistat OnBody(SMFICTX* ctx, unsigned char* bytes, size_t length) {
  MilterConnection* connection = EnsureConnection(ctx);
  std::string_view chunk(reinterpret_cast<const char*>(bytes), length);
  return Apply(ctx, connection->session.Body(chunk), connection->can_skip);
}

sfsistat OnEndOfMessage(SMFICTX* ctx) {
  MilterConnection* connection = EnsureConnection(ctx);
  CopyMacros(ctx, connection, {"i"});
  EndOfMessageOutcome outcome = connection->session.EndOfMessage();
  // The verdict is decided; what is left is replying, which libmilter does
  // even while stopping.
  EndMessage(connection);
  const Verdict& verdict = outcome.verdict;
  const bool delivered = verdict.action == Action::kNone || verdict.action == Action::kAccept ||
                         verdict.action == Action::kQuarantine;
  std::string quarantine_reason;
  if (verdict.action == Action::kQuarantine) {
    quarantine_reason = verdict.reason.empty() ? "quarantined by policy" : verdict.reason;
  }
  if (delivered && !outcome.edits.empty() && connection->mta_socket >= 0) {
    const std::string* reason = quarantine_reason.empty() ? nullptr : &quarantine_reason;
    if (!WriteEditsAndAccept(*connection, outcome.edits, reason)) {
      LogWarning(std::string("writing the verdict to the MTA failed: ") + strerror(errno));
      return SMFIS_TEMPFAIL;
    }
    return SMFIS_NOREPLY;
  }
  ApplyHeaderEditsThroughLibmilter(ctx, *connection, outcome.edits);
  switch (verdict.action) {
    case Action::kNone:
    case Action::kAccept: return SMFIS_ACCEPT;
    case Action::kQuarantine: smfi_quarantine(ctx, quarantine_reason.data()); return SMFIS_ACCEPT;
    case Action::kDiscard: return SMFIS_DISCARD;
    case Action::kReject:
    case Action::kTempfail: {
      StageReply reply{verdict.action == Action::kReject ? StageReply::Kind::kReject
                                                         : StageReply::Kind::kTempfail,
                       verdict.smtp_code, verdict.enhanced_code, verdict.text};
      return Apply(ctx, reply, false);
    }
  }
  return SMFIS_ACCEPT;
}

sfsistat OnAbort(SMFICTX* ctx) {
  if (MilterConnection* connection = Connection(ctx)) {
    connection->session.Abort();
    EndMessage(connection);
  }
  return SMFIS_CONTINUE;
}

sfsistat OnClose(SMFICTX* ctx) {
  if (MilterConnection* connection = Connection(ctx)) {
    smfi_setpriv(ctx, nullptr);
    EndMessage(connection);
    delete connection;
    --ActiveMilterConnections();
    EngineMetrics::Get().ConnectionClosed();
  }
  return SMFIS_CONTINUE;
}

}  // namespace

void SetMilterSnapshots(SnapshotHolder* snapshots) { g_snapshots = snapshots; }
void SetMilterListenerKind(MilterListenerKind kind) {
  g_listener = kind;
  static std::optional<MilterSocketFinder> finder;
  finder.emplace(kind.unix_socket ? 0 : kind.tcp_port, kind.unix_path);
  g_socket_finder = &*finder;
}
SnapshotHolder* MilterSnapshots() { return g_snapshots; }

std::atomic<int>& ActiveMilterConnections() {
  static std::atomic<int> active{0};
  return active;
}

std::atomic<int>& InFlightMilterMessages() {
  static std::atomic<int> in_flight{0};
  return in_flight;
}

::smfiDesc* MilterCallbacks() {
  static ::smfiDesc description = {
      const_cast<char*>("portcullis"),
      SMFI_VERSION,
      SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE | SMFIF_SETSYMLIST,
      OnConnect,
      OnHelo,
      OnMailFrom,
      OnRcpt,
      OnHeader,
      OnEndOfHeaders,
      OnBody,
      OnEndOfMessage,
      OnAbort,
      OnClose,
      nullptr,  // unknown commands
      OnData,
      OnNegotiate,
  };
  return &description;
}

}  // namespace portcullis
