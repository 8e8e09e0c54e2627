#include "transport.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "milter_error.h"

namespace portcullis::milterclient {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

int ConnectUnix(const std::string& path, const std::string& spec) {
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  if (path.size() >= sizeof sun.sun_path) throw MilterError("unix socket path too long: " + spec);
  std::memcpy(sun.sun_path, path.data(), path.size());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw MilterError(Errno("socket(AF_UNIX)"));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sun), sizeof sun) != 0) {
    const std::string message = Errno("connect " + spec);
    ::close(fd);
    throw MilterError(message);
  }
  return fd;
}

int ConnectInet(const std::string& port_at_host, int family, const std::string& spec) {
  const size_t at = port_at_host.find('@');
  if (at == std::string::npos) throw MilterError("expected inet:PORT@HOST, got " + spec);
  const std::string port = port_at_host.substr(0, at);
  std::string host = port_at_host.substr(at + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_family = family;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &result); rc != 0) {
    throw MilterError("resolve " + spec + ": " + gai_strerror(rc));
  }
  std::string last_error = "no addresses for " + spec;
  int fd = -1;
  for (addrinfo* ai = result; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      last_error = Errno("connect " + spec);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(result);
  if (fd < 0) throw MilterError(last_error);
  return fd;
}

void SetTimeouts(int fd, std::chrono::milliseconds timeout) {
  // Writes rely on SO_SNDTIMEO; reads use poll() so the error can name the
  // awaited reply. SO_SNDTIMEO makes a blocked send() fail with EAGAIN.
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

Transport Transport::Connect(const std::string& address, const TransportOptions& options) {
  int fd = -1;
  bool is_tcp = false;
  if (address.rfind("inet:", 0) == 0) {
    fd = ConnectInet(address.substr(5), AF_INET, address);
    is_tcp = true;
  } else if (address.rfind("inet6:", 0) == 0) {
    fd = ConnectInet(address.substr(6), AF_INET6, address);
    is_tcp = true;
  } else if (address.rfind("unix:", 0) == 0) {
    fd = ConnectUnix(address.substr(5), address);
  } else if (address.rfind("local:", 0) == 0) {
    fd = ConnectUnix(address.substr(6), address);
  } else if (!address.empty() && address.front() == '/') {
    fd = ConnectUnix(address, address);
  } else {
    throw MilterError("unsupported milter socket spec: " + address);
  }
  if (is_tcp && options.tcp_nodelay) {
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  SetTimeouts(fd, options.timeout);
  return Transport(fd, address, options);
}

Transport Transport::Adopt(int fd, const TransportOptions& options) {
  SetTimeouts(fd, options.timeout);
  return Transport(fd, "fd:" + std::to_string(fd), options);
}

Transport::Transport(int fd, std::string address, const TransportOptions& options)
    : fd_(fd), address_(std::move(address)), options_(options) {}

Transport::Transport(Transport&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      address_(std::move(other.address_)),
      options_(other.options_),
      decoder_(std::move(other.decoder_)) {}

Transport& Transport::operator=(Transport&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
    address_ = std::move(other.address_);
    options_ = other.options_;
    decoder_ = std::move(other.decoder_);
  }
  return *this;
}

Transport::~Transport() { Close(); }

void Transport::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void Transport::WritePacket(char command, std::string_view payload) {
  // Header and payload in one buffer, so a small command is one segment.
  WriteWire(EncodePacket(command, payload), command);
}

void Transport::WriteWire(std::string_view wire, char command) {
  if (fd_ < 0) throw MilterError("write " + CommandName(command) + ": connection closed");
  size_t sent = 0;
  while (sent < wire.size()) {
    const ssize_t n = ::send(fd_, wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      throw MilterError("write " + CommandName(command) + " to " + address_ + ": timed out after " +
                        std::to_string(options_.timeout.count()) + " ms");
    }
    if (n <= 0) throw MilterError(Errno("write " + CommandName(command) + " to " + address_));
    sent += static_cast<size_t>(n);
  }
}

bool Transport::Fill(int timeout_ms, const std::string& waiting_for) {
  if (fd_ < 0) throw MilterError("read " + waiting_for + ": connection closed");
  pollfd pfd{fd_, POLLIN, 0};
  int rc;
  do {
    rc = ::poll(&pfd, 1, timeout_ms);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) throw MilterError(Errno("poll " + address_));
  if (rc == 0) return false;
  char buf[64 * 1024];
  ssize_t n;
  do {
    n = ::recv(fd_, buf, sizeof buf, 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw MilterError(Errno("read " + waiting_for + " from " + address_));
  if (n == 0) {
    throw MilterError("milter " + address_ + " closed the connection while the client waited for " +
                      waiting_for);
  }
  decoder_.Append(buf, static_cast<size_t>(n));
  return true;
}

Packet Transport::ReadPacket(const std::string& waiting_for) {
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  for (;;) {
    if (auto packet = decoder_.Next()) return std::move(*packet);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !Fill(static_cast<int>(left.count()), waiting_for)) {
      throw MilterError("milter " + address_ + " timed out after " +
                        std::to_string(options_.timeout.count()) + " ms waiting for " + waiting_for);
    }
  }
}

std::optional<Packet> Transport::TryReadPacket() {
  if (auto packet = decoder_.Next()) return packet;
  if (!Fill(0, "an unsolicited packet")) return std::nullopt;
  return decoder_.Next();
}

}  // namespace portcullis::milterclient
