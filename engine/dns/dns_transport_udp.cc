#include "dns/dns_transport_udp.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace portcullis::dns {

std::string SocketErrorText(int error_number) {
  switch (error_number) {
    case ENETUNREACH:
    case EHOSTUNREACH: return "network unreachable";
    case ECONNREFUSED: return "connection refused";
    case ECONNRESET: return "connection reset";
    default: return std::strerror(error_number);
  }
}

std::unique_ptr<UdpExchange> UdpExchange::Start(const ServerAddress& server,
                                                const std::vector<uint8_t>& query,
                                                std::string* error) {
  int fd = socket(server.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = SocketErrorText(errno);
    return nullptr;
  }
  std::unique_ptr<UdpExchange> exchange(new UdpExchange(fd, server));
  sockaddr_storage any{};
  socklen_t any_length = 0;
  if (server.family() == AF_INET6) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&any);
    v6->sin6_family = AF_INET6;
    v6->sin6_addr = in6addr_any;
    any_length = sizeof(sockaddr_in6);
  } else {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&any);
    v4->sin_family = AF_INET;
    v4->sin_addr.s_addr = htonl(INADDR_ANY);
    any_length = sizeof(sockaddr_in);
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&any), any_length) != 0 ||
      connect(fd, server.sockaddr_ptr(), server.length) != 0 ||
      send(fd, query.data(), query.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(query.size())) {
    *error = SocketErrorText(errno);
    return nullptr;
  }
  return exchange;
}

UdpExchange::~UdpExchange() {
  if (fd_ >= 0) close(fd_);
}

UdpExchange::Receive UdpExchange::ReceiveOne(uint8_t* buffer, size_t capacity, size_t* size,
                                             std::string* error) {
  sockaddr_storage from{};
  socklen_t from_length = sizeof(from);
  ssize_t n =
      recvfrom(fd_, buffer, capacity, MSG_TRUNC, reinterpret_cast<sockaddr*>(&from), &from_length);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return Receive::kNone;
    *error = SocketErrorText(errno);
    return Receive::kError;
  }
  if (!SameServer(server_, reinterpret_cast<sockaddr*>(&from), from_length)) {
    return Receive::kForeign;
  }
  // MSG_TRUNC reports the real length; a datagram longer than the buffer
  // (which is the largest DNS message) cannot be a DNS message.
  *size = static_cast<size_t>(n) > capacity ? 0 : static_cast<size_t>(n);
  return Receive::kDatagram;
}

}  // namespace portcullis::dns
