// portcullis_null_filter: a libmilter filter that does nothing and accepts
// everything, used as the ceiling of what the milter protocol allows.
//
// It registers every callback (so the MTA sends every stage, like a real
// content filter) and can be switched into the known slow modes:
//   --nodelay     TCP_NODELAY on the listening socket (inherited on accept)
//   --no-reply    negotiate SMFIP_NR_* for every stage the MTA offers
//   --add-header  add one header at end of message (two reply packets)
//   --no-reply-headers  negotiate SMFIP_NR_HDR only and, on TCP, acknowledge
//                 the headers at once, as Portcullis does (see
//                 engine/milter/milter_connection_socket.h)
//   --skip LIST   negotiate SMFIP_NO* for these stages (comma-separated:
//                 connect,helo,mail,rcpt,data,unknown,header,eoh,body), so
//                 the baseline exchanges exactly the packets the filter under
//                 test does
// libmilter runs one thread per connection; the callbacks touch no shared
// state, so there is no locking.
#include <libmilter/mfapi.h>
#include <libmilter/mfdef.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

#include "listen_nodelay.h"
#include "milter/milter_connection_socket.h"

namespace portcullis::bench {
namespace {

struct Flags {
  std::string socket;
  bool nodelay = false;
  bool no_reply = false;
  bool add_header = false;
  bool no_reply_headers = false;
  int tcp_port = 0;        // of an inet --socket, for finding connection sockets
  unsigned long skip = 0;  // SMFIP_NO* bits
  int backlog = 512;       // 50+ concurrent connects arrive at once in the bench.
  int timeout = 60;        // Seconds libmilter waits for the MTA.
};

Flags g_flags;  // Written once in main() before smfi_main() starts threads.

constexpr unsigned long kAllNoReply = SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL |
                                      SMFIP_NR_RCPT | SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_NR_HDR |
                                      SMFIP_NR_EOH | SMFIP_NR_BODY;

// Answer for every stage but end of message: with SMFIP_NR_* negotiated
// libmilter must be told not to reply, otherwise it sends 'c' anyway.
sfsistat Next() { return g_flags.no_reply ? SMFIS_NOREPLY : SMFIS_CONTINUE; }

// With --no-reply-headers on TCP: the connection's socket, and whether this
// message's headers are already acknowledged at once (as Portcullis does).
struct ConnectionSocketState {
  int fd;
  bool headers_acknowledged = false;
};

ConnectionSocketState* ConnectionSocket(SMFICTX* ctx) {
  return static_cast<ConnectionSocketState*>(smfi_getpriv(ctx));
}

sfsistat Negotiate(SMFICTX* ctx, unsigned long actions, unsigned long protocol, unsigned long,
                   unsigned long, unsigned long* want_actions, unsigned long* want_protocol,
                   unsigned long* want2, unsigned long* want3) {
  *want_actions = g_flags.add_header ? (actions & SMFIF_ADDHDRS) : 0;
  // Ask only for bits the MTA offered; asking for more fails negotiation.
  *want_protocol = (g_flags.no_reply ? (protocol & kAllNoReply) : 0) | (protocol & g_flags.skip);
  if (g_flags.no_reply_headers) {
    *want_protocol |= protocol & SMFIP_NR_HDR;
    static MilterSocketFinder finder(g_flags.tcp_port, "");
    int fd = finder.Find(ctx);
    if (fd >= 0) smfi_setpriv(ctx, new ConnectionSocketState{fd});
  }
  *want2 = 0;
  *want3 = 0;
  return SMFIS_CONTINUE;
}

sfsistat OnConnect(SMFICTX*, char*, _SOCK_ADDR*) { return Next(); }
sfsistat OnHelo(SMFICTX*, char*) { return Next(); }
sfsistat OnMail(SMFICTX* ctx, char**) {
  if (ConnectionSocketState* socket = ConnectionSocket(ctx)) socket->headers_acknowledged = false;
  return Next();
}
sfsistat OnRcpt(SMFICTX*, char**) { return Next(); }
sfsistat OnData(SMFICTX*) { return Next(); }
sfsistat OnUnknown(SMFICTX*, const char*) { return Next(); }
sfsistat OnHeader(SMFICTX* ctx, char*, char*) {
  if (!g_flags.no_reply_headers) return Next();
  ConnectionSocketState* socket = ConnectionSocket(ctx);
  if (socket && !socket->headers_acknowledged) {
    AcknowledgeNow(socket->fd);
    socket->headers_acknowledged = true;
  }
  return SMFIS_NOREPLY;
}
sfsistat OnEoh(SMFICTX*) { return Next(); }
sfsistat OnBody(SMFICTX*, unsigned char*, size_t) { return Next(); }
sfsistat OnAbort(SMFICTX*) { return SMFIS_CONTINUE; }
sfsistat OnClose(SMFICTX* ctx) {
  delete ConnectionSocket(ctx);
  smfi_setpriv(ctx, nullptr);
  return SMFIS_CONTINUE;
}

sfsistat OnEom(SMFICTX* ctx) {
  if (g_flags.add_header) {
    smfi_addheader(ctx, const_cast<char*>("X-Null-Filter"), const_cast<char*>("seen"));
  }
  return SMFIS_ACCEPT;
}

unsigned long ParseSkip(const std::string& list) {
  static const struct {
    const char* name;
    unsigned long bit;
  } kStages[] = {{"connect", SMFIP_NOCONNECT}, {"helo", SMFIP_NOHELO}, {"mail", SMFIP_NOMAIL},
                 {"rcpt", SMFIP_NORCPT},       {"data", SMFIP_NODATA}, {"unknown", SMFIP_NOUNKNOWN},
                 {"header", SMFIP_NOHDRS},     {"eoh", SMFIP_NOEOH},   {"body", SMFIP_NOBODY}};
  unsigned long bits = 0;
  std::istringstream names(list);
  for (std::string name; std::getline(names, name, ',');) {
    bool known = false;
    for (const auto& stage : kStages) {
      if (name == stage.name) {
        bits |= stage.bit;
        known = true;
      }
    }
    if (!known) {
      std::fprintf(stderr, "null_filter: unknown stage '%s' in --skip\n", name.c_str());
      std::exit(2);
    }
  }
  return bits;
}

void Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s --socket inet:PORT@127.0.0.1|unix:/path [--nodelay] [--no-reply]\n"
               "          [--add-header] [--no-reply-headers] [--skip STAGES] [--backlog N]\n"
               "          [--timeout SECONDS]\n",
               argv0);
  std::exit(2);
}

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(argv[0]);
      return argv[++i];
    };
    if (arg == "--socket" || arg == "-p")
      flags.socket = value();
    else if (arg == "--nodelay")
      flags.nodelay = true;
    else if (arg == "--no-reply")
      flags.no_reply = true;
    else if (arg == "--add-header")
      flags.add_header = true;
    else if (arg == "--no-reply-headers")
      flags.no_reply_headers = true;
    else if (arg == "--skip")
      flags.skip = ParseSkip(value());
    else if (arg == "--backlog")
      flags.backlog = std::atoi(value().c_str());
    else if (arg == "--timeout")
      flags.timeout = std::atoi(value().c_str());
    else
      Usage(argv[0]);
  }
  if (flags.socket.empty()) Usage(argv[0]);
  // inet:PORT@HOST or inet6:PORT@HOST
  if (flags.socket.rfind("inet", 0) == 0) {
    flags.tcp_port = std::atoi(flags.socket.substr(flags.socket.find(':') + 1).c_str());
  }
  return flags;
}

}  // namespace
}  // namespace portcullis::bench

int main(int argc, char** argv) {
  using namespace portcullis::bench;
  g_flags = ParseFlags(argc, argv);

  smfiDesc desc{};
  desc.xxfi_name = const_cast<char*>("portcullis_null_filter");
  desc.xxfi_version = SMFI_VERSION;
  desc.xxfi_flags = g_flags.add_header ? SMFIF_ADDHDRS : 0;
  desc.xxfi_connect = OnConnect;
  desc.xxfi_helo = OnHelo;
  desc.xxfi_envfrom = OnMail;
  desc.xxfi_envrcpt = OnRcpt;
  desc.xxfi_header = OnHeader;
  desc.xxfi_eoh = OnEoh;
  desc.xxfi_body = OnBody;
  desc.xxfi_eom = OnEom;
  desc.xxfi_abort = OnAbort;
  desc.xxfi_close = OnClose;
  desc.xxfi_unknown = OnUnknown;
  desc.xxfi_data = OnData;
  desc.xxfi_negotiate = Negotiate;

  if (smfi_setconn(const_cast<char*>(g_flags.socket.c_str())) != MI_SUCCESS ||
      smfi_setbacklog(g_flags.backlog) != MI_SUCCESS ||
      smfi_settimeout(g_flags.timeout) != MI_SUCCESS || smfi_register(desc) != MI_SUCCESS) {
    std::fprintf(stderr, "null_filter: libmilter setup failed\n");
    return 1;
  }
  // Open now (removing a stale unix socket) so TCP_NODELAY can be set on the
  // listener before the first accept.
  if (smfi_opensocket(true) != MI_SUCCESS) {
    std::fprintf(stderr, "null_filter: cannot listen on %s\n", g_flags.socket.c_str());
    return 1;
  }
  int nodelay_sockets = 0;
  if (g_flags.nodelay) nodelay_sockets = SetNoDelayOnListeningSockets();
  std::fprintf(stderr,
               "null_filter: listening on %s nodelay=%d (sockets=%d) no_reply=%d add_header=%d\n",
               g_flags.socket.c_str(), g_flags.nodelay, nodelay_sockets, g_flags.no_reply,
               g_flags.add_header);
  return smfi_main() == MI_SUCCESS ? 0 : 1;
}
