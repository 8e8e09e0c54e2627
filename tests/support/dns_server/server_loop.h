// The network side of the test DNS server: one UDP socket and one TCP
// listener on the same port, non-blocking, driven by a single epoll loop,
// with a timer queue for delayed replies (delay-MS, wrong-id...).
//
// Owns its sockets. Run() returns when SIGTERM or SIGINT arrives (the caller
// blocks them before Bind so that they are delivered through a signalfd).
// Single-threaded.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "responder.h"
#include "server_options.h"

namespace portcullis::testing::dns_server {

// Connections beyond this are accepted and closed at once: a test never
// needs more, and each one holds buffers.
inline constexpr size_t kMaxTcpConnections = 512;
// Tries at finding a port free for both UDP and TCP when PORT is 0.
inline constexpr int kBindAttempts = 20;

class ServerLoop {
 public:
  ServerLoop(const Responder& responder, FILE* query_log)
      : responder_(responder), query_log_(query_log) {}
  ~ServerLoop();
  ServerLoop(const ServerLoop&) = delete;
  ServerLoop& operator=(const ServerLoop&) = delete;

  // Binds UDP then TCP on the same port. Returns an error message, empty on
  // success; port() is then the bound port.
  std::string Bind(const ServerOptions& options);
  uint16_t port() const { return port_; }

  // Serves until SIGTERM/SIGINT. Returns an error message, empty on a clean stop.
  std::string Run();

 private:
  struct Conn {
    int fd = -1;
    std::vector<uint8_t> in;
    std::vector<uint8_t> out;
    bool want_write = false;  // EPOLLOUT registered
    bool eof = false;         // the client half-closed; close once all replies are out
    int pending = 0;          // replies of this connection still in timers_
  };
  struct Pending {
    std::chrono::steady_clock::time_point due;
    uint64_t seq = 0;  // keeps send order for equal deadlines
    bool udp = true;
    sockaddr_storage peer{};  // udp
    socklen_t peer_len = 0;
    uint64_t conn_id = 0;  // tcp
    std::vector<uint8_t> wire;
    bool operator>(const Pending& o) const { return due != o.due ? due > o.due : seq > o.seq; }
  };

  void OnUdpReadable();
  void OnAccept();
  void OnConnEvent(uint64_t id, uint32_t events);
  void HandleMessage(const uint8_t* data, size_t size, bool udp, const sockaddr_storage* peer,
                     socklen_t peer_len, uint64_t conn_id);
  void SendNow(const Pending& p);
  void FlushConn(uint64_t id);
  void CloseConn(uint64_t id);
  // Closes a half-closed connection with nothing left to send; true if closed.
  bool MaybeCloseDone(uint64_t id);
  void UpdateEvents(uint64_t id, Conn& conn);
  int NextTimeoutMs() const;
  void RunDueTimers();

  const Responder& responder_;
  FILE* query_log_;
  int family_ = AF_INET;
  uint16_t port_ = 0;
  int udp_fd_ = -1;
  int tcp_fd_ = -1;
  int epoll_fd_ = -1;
  int signal_fd_ = -1;
  uint64_t next_conn_id_ = 16;  // ids below are the fixed sockets
  uint64_t next_seq_ = 0;
  std::unordered_map<uint64_t, Conn> conns_;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> timers_;
};

}  // namespace portcullis::testing::dns_server
