#include "server_loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace portcullis::testing::dns_server {

namespace {

constexpr uint64_t kUdpId = 1;
constexpr uint64_t kListenId = 2;
constexpr uint64_t kSignalId = 3;
// RFC 1035 4.2.2: TCP messages carry a 16-bit length, so 64 KiB holds any one.
constexpr size_t kMaxMessage = 65535;
// Datagrams/reads handled per readiness event, so that a flood on one socket
// cannot starve the others (level-triggered epoll brings us back).
constexpr int kReadsPerEvent = 64;
constexpr int kMaxEvents = 64;

std::string Errno(const char* what) { return std::string(what) + ": " + strerror(errno); }

socklen_t MakeAddr(int family, const std::string& host, uint16_t port, sockaddr_storage* out) {
  memset(out, 0, sizeof(*out));
  if (family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(out);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    inet_pton(AF_INET6, host.c_str(), &a->sin6_addr);
    return sizeof(sockaddr_in6);
  }
  auto* a = reinterpret_cast<sockaddr_in*>(out);
  a->sin_family = AF_INET;
  a->sin_port = htons(port);
  inet_pton(AF_INET, host.c_str(), &a->sin_addr);
  return sizeof(sockaddr_in);
}

}  // namespace

ServerLoop::~ServerLoop() {
  for (auto& [id, conn] : conns_) close(conn.fd);
  for (int fd : {udp_fd_, tcp_fd_, epoll_fd_, signal_fd_}) {
    if (fd >= 0) close(fd);
  }
}

std::string ServerLoop::Bind(const ServerOptions& options) {
  family_ = options.family;
  std::string last_error;
  for (int attempt = 0; attempt < kBindAttempts; ++attempt) {
    sockaddr_storage addr;
    socklen_t len = MakeAddr(options.family, options.host, options.port, &addr);
    udp_fd_ = socket(options.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (udp_fd_ < 0) return Errno("socket(udp)");
    const int one = 1;
    if (options.family == AF_INET6) {
      setsockopt(udp_fd_, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    }
    if (bind(udp_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
      return Errno(("bind udp " + options.host + ":" + std::to_string(options.port)).c_str());
    }
    sockaddr_storage bound;
    socklen_t bound_len = sizeof(bound);
    getsockname(udp_fd_, reinterpret_cast<sockaddr*>(&bound), &bound_len);
    port_ = ntohs(options.family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                             : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);

    tcp_fd_ = socket(options.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (tcp_fd_ < 0) return Errno("socket(tcp)");
    setsockopt(tcp_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (options.family == AF_INET6) {
      setsockopt(tcp_fd_, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    }
    len = MakeAddr(options.family, options.host, port_, &addr);
    if (bind(tcp_fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0 && listen(tcp_fd_, 128) == 0) {
      return "";
    }
    last_error = Errno(("bind/listen tcp port " + std::to_string(port_)).c_str());
    close(tcp_fd_);
    close(udp_fd_);
    tcp_fd_ = udp_fd_ = -1;
    // A fixed port taken over TCP will not free itself by retrying.
    if (options.port != 0) break;
  }
  return last_error;
}

std::string ServerLoop::Run() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  signal_fd_ = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd_ < 0) return Errno("signalfd");
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) return Errno("epoll_create1");
  for (auto [fd, id] :
       {std::pair{udp_fd_, kUdpId}, {tcp_fd_, kListenId}, {signal_fd_, kSignalId}}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = id;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) return Errno("epoll_ctl");
  }
  epoll_event events[kMaxEvents];
  for (;;) {
    const int n = epoll_wait(epoll_fd_, events, kMaxEvents, NextTimeoutMs());
    if (n < 0 && errno != EINTR) return Errno("epoll_wait");
    for (int i = 0; i < n; ++i) {
      const uint64_t id = events[i].data.u64;
      if (id == kSignalId) return "";
      if (id == kUdpId) {
        OnUdpReadable();
      } else if (id == kListenId) {
        OnAccept();
      } else {
        OnConnEvent(id, events[i].events);
      }
    }
    RunDueTimers();
  }
}

int ServerLoop::NextTimeoutMs() const {
  if (timers_.empty()) return -1;
  const auto now = std::chrono::steady_clock::now();
  if (timers_.top().due <= now) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(timers_.top().due - now).count();
  return static_cast<int>(std::min<int64_t>(ms, 60'000));
}

void ServerLoop::RunDueTimers() {
  const auto now = std::chrono::steady_clock::now();
  // Bounded by the queue size: everything due now is sent, nothing is re-queued.
  while (!timers_.empty() && timers_.top().due <= now) {
    SendNow(timers_.top());
    timers_.pop();
  }
}

void ServerLoop::OnUdpReadable() {
  static uint8_t buf[kMaxMessage];
  for (int i = 0; i < kReadsPerEvent; ++i) {
    sockaddr_storage peer;
    socklen_t peer_len = sizeof(peer);
    const ssize_t got =
        recvfrom(udp_fd_, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&peer), &peer_len);
    if (got < 0) return;  // EAGAIN, or an ICMP error we do not care about
    HandleMessage(buf, static_cast<size_t>(got), true, &peer, peer_len, 0);
  }
}

void ServerLoop::OnAccept() {
  for (int i = 0; i < kReadsPerEvent; ++i) {
    const int fd = accept4(tcp_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (conns_.size() >= kMaxTcpConnections) {
      close(fd);
      continue;
    }
    const uint64_t id = next_conn_id_++;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = id;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      close(fd);
      continue;
    }
    conns_[id].fd = fd;
  }
}

void ServerLoop::OnConnEvent(uint64_t id, uint32_t events) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  if (events & EPOLLOUT) FlushConn(id);
  if (events & EPOLLERR) {
    CloseConn(id);
    return;
  }
  if (!(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))) return;
  if (conns_.contains(id) && conns_[id].eof) {
    // Only EPOLLHUP can bring us here once reading stopped: the peer is gone.
    if (events & EPOLLHUP) CloseConn(id);
    return;
  }
  uint8_t buf[16384];
  for (int i = 0; i < kReadsPerEvent; ++i) {
    it = conns_.find(id);
    if (it == conns_.end()) return;
    const ssize_t got = read(it->second.fd, buf, sizeof(buf));
    if (got < 0 && errno != EAGAIN && errno != EINTR) {
      CloseConn(id);
      return;
    }
    if (got == 0) {
      // RFC 7766 6.2.4: a client may half-close after its last query; its
      // replies (some perhaps delayed) still go out before we close.
      it->second.eof = true;
      if (!MaybeCloseDone(id)) UpdateEvents(id, it->second);
      return;
    }
    if (got < 0) return;
    it->second.in.insert(it->second.in.end(), buf, buf + got);
    // RFC 1035 4.2.2 / RFC 7766 6.2.1: several length-prefixed messages may
    // arrive in one read, or one message across several.
    size_t used = 0;
    for (;;) {
      std::vector<uint8_t>& in = conns_[id].in;
      if (in.size() - used < 2) break;
      const size_t len = (static_cast<size_t>(in[used]) << 8) | in[used + 1];
      if (in.size() - used - 2 < len) break;
      std::vector<uint8_t> msg(in.begin() + used + 2, in.begin() + used + 2 + len);
      used += 2 + len;
      HandleMessage(msg.data(), msg.size(), false, nullptr, 0, id);
      if (!conns_.contains(id)) return;
    }
    std::vector<uint8_t>& in = conns_[id].in;
    in.erase(in.begin(), in.begin() + used);
  }
}

void ServerLoop::HandleMessage(const uint8_t* data, size_t size, bool udp,
                               const sockaddr_storage* peer, socklen_t peer_len, uint64_t conn_id) {
  Response response = responder_.Respond(data, size, udp ? Transport::kUdp : Transport::kTcp);
  if (response.logged && query_log_ != nullptr) {
    fprintf(query_log_, "%s %s %s\n", udp ? "udp" : "tcp", response.log_qname.c_str(),
            response.log_qtype.c_str());
    fflush(query_log_);
  }
  const auto now = std::chrono::steady_clock::now();
  for (Reply& reply : response.replies) {
    Pending p;
    p.due = now + std::chrono::milliseconds(reply.delay_ms);
    p.seq = next_seq_++;
    p.udp = udp;
    if (udp) {
      p.peer = *peer;
      p.peer_len = peer_len;
    }
    p.conn_id = conn_id;
    p.wire = std::move(reply.wire);
    if (!udp) ++conns_[conn_id].pending;
    if (reply.delay_ms == 0 && timers_.empty()) {
      SendNow(p);
    } else {
      timers_.push(std::move(p));
    }
  }
}

void ServerLoop::SendNow(const Pending& p) {
  if (p.udp) {
    // UDP may drop; a full socket buffer is just another lost datagram.
    sendto(udp_fd_, p.wire.data(), p.wire.size(), MSG_NOSIGNAL,
           reinterpret_cast<const sockaddr*>(&p.peer), p.peer_len);
    return;
  }
  auto it = conns_.find(p.conn_id);
  if (it == conns_.end()) return;  // the client went away meanwhile
  --it->second.pending;
  std::vector<uint8_t>& out = it->second.out;
  out.push_back(static_cast<uint8_t>(p.wire.size() >> 8));
  out.push_back(static_cast<uint8_t>(p.wire.size()));
  out.insert(out.end(), p.wire.begin(), p.wire.end());
  FlushConn(p.conn_id);
}

void ServerLoop::FlushConn(uint64_t id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  Conn& conn = it->second;
  size_t sent = 0;
  while (sent < conn.out.size()) {
    const ssize_t n = send(conn.fd, conn.out.data() + sent, conn.out.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      CloseConn(id);
      return;
    }
    sent += static_cast<size_t>(n);
  }
  conn.out.erase(conn.out.begin(), conn.out.begin() + sent);
  if (!MaybeCloseDone(id) && conn.want_write != !conn.out.empty()) UpdateEvents(id, conn);
}

bool ServerLoop::MaybeCloseDone(uint64_t id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return true;
  if (!it->second.eof || !it->second.out.empty() || it->second.pending > 0) return false;
  CloseConn(id);
  return true;
}

void ServerLoop::UpdateEvents(uint64_t id, Conn& conn) {
  conn.want_write = !conn.out.empty();
  epoll_event ev{};
  ev.events = (conn.eof ? 0u : static_cast<uint32_t>(EPOLLIN | EPOLLRDHUP)) |
              (conn.want_write ? static_cast<uint32_t>(EPOLLOUT) : 0u);
  ev.data.u64 = id;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, conn.fd, &ev);
}

void ServerLoop::CloseConn(uint64_t id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->second.fd, nullptr);
  close(it->second.fd);
  conns_.erase(it);
}

}  // namespace portcullis::testing::dns_server
