#include "milter/milter_connection_socket.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>

namespace portcullis {
namespace {

// The head of libmilter's struct smfi_str (libmilter/libmilter.h).
struct LibmilterContextHead {
  pthread_t ctx_id;
  int ctx_sd;
};

int IntOption(int fd, int level, int name, bool* ok) {
  int value = 0;
  socklen_t length = sizeof(value);
  *ok = getsockopt(fd, level, name, &value, &length) == 0 && length == sizeof(value);
  return value;
}

bool IsConnected(int fd) {
  sockaddr_storage peer{};
  socklen_t length = sizeof(peer);
  return getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) == 0;
}

bool IsOurUnixSocket(int fd, std::string_view unix_path) {
  sockaddr_un address{};
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
      address.sun_family != AF_UNIX || length <= offsetof(sockaddr_un, sun_path)) {
    return false;
  }
  // An accepted unix socket reports its listener's path.
  const size_t path_length = strnlen(address.sun_path, length - offsetof(sockaddr_un, sun_path));
  return std::string_view(address.sun_path, path_length) == unix_path;
}

}  // namespace

int LocalTcpPort(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return -1;
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  }
  return -1;
}

MilterSocketFinder::MilterSocketFinder(int tcp_port, std::string unix_path)
    : tcp_port_(tcp_port), unix_path_(std::move(unix_path)) {}

int MilterSocketFinder::Find(SMFICTX* ctx) {
  if (!ctx || (tcp_port_ <= 0 && unix_path_.empty())) return -1;
  int fd = -1;
  std::memcpy(&fd, reinterpret_cast<const char*>(ctx) + offsetof(LibmilterContextHead, ctx_sd),
              sizeof(fd));
  if (fd <= 2) return -1;
  if (confirmed_.load(std::memory_order_relaxed) >= kTrustAfter) return fd;
  if (!IsOurConnection(fd)) return -1;
  confirmed_.fetch_add(1, std::memory_order_relaxed);
  return fd;
}

bool MilterSocketFinder::IsOurConnection(int fd) const {
  bool ok = false;
  if (IntOption(fd, SOL_SOCKET, SO_TYPE, &ok) != SOCK_STREAM || !ok) return false;
  if (IntOption(fd, SOL_SOCKET, SO_ACCEPTCONN, &ok) != 0 || !ok) return false;
  if (!IsConnected(fd)) return false;
  if (tcp_port_ > 0) {
    if (IntOption(fd, SOL_SOCKET, SO_PROTOCOL, &ok) != IPPROTO_TCP || !ok) return false;
    return LocalTcpPort(fd) == tcp_port_;
  }
  return IsOurUnixSocket(fd, unix_path_);
}

void AcknowledgeNow(int socket_fd) {
  // Linux sends any pending delayed ACK when TCP_QUICKACK is set, and leaves
  // "pingpong" (delayed ACK) mode until this side next sends data; while out
  // of it, data is acknowledged as soon as a read empties the receive queue.
  int one = 1;
  setsockopt(socket_fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

bool WriteAll(int socket_fd, std::string_view bytes, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!bytes.empty()) {
    ssize_t written = send(socket_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (written > 0) {
      bytes.remove_prefix(static_cast<size_t>(written));
      continue;
    }
    if (written < 0 && errno == EINTR) continue;
    if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd ready{socket_fd, POLLOUT, 0};
    int ready_count = poll(&ready, 1, static_cast<int>(left.count()));
    if (ready_count < 0 && errno == EINTR) continue;
    if (ready_count <= 0) return false;
  }
  return true;
}

}  // namespace portcullis
