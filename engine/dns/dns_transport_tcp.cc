#include "dns/dns_transport_tcp.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "dns/dns_transport_udp.h"

namespace portcullis::dns {

std::unique_ptr<TcpExchange> TcpExchange::Start(const ServerAddress& server,
                                                const std::vector<uint8_t>& query,
                                                std::string* error) {
  if (query.size() > 0xffff) {
    *error = "query too large";
    return nullptr;
  }
  int fd = socket(server.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = SocketErrorText(errno);
    return nullptr;
  }
  std::unique_ptr<TcpExchange> exchange(new TcpExchange(fd));
  // RFC 1035 4.2.2: the message is prefixed with its length, two octets.
  exchange->out_.reserve(query.size() + 2);
  exchange->out_.push_back(static_cast<uint8_t>(query.size() >> 8));
  exchange->out_.push_back(static_cast<uint8_t>(query.size() & 0xff));
  exchange->out_.insert(exchange->out_.end(), query.begin(), query.end());
  if (connect(fd, server.sockaddr_ptr(), server.length) != 0 && errno != EINPROGRESS) {
    *error = SocketErrorText(errno);
    return nullptr;
  }
  return exchange;
}

TcpExchange::~TcpExchange() {
  if (fd_ >= 0) close(fd_);
}

uint32_t TcpExchange::wanted_events() const { return sent_ < out_.size() ? EPOLLOUT : EPOLLIN; }

TcpExchange::Progress TcpExchange::OnReady(uint32_t events, std::string* error) {
  if (!connected_) {
    if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return Progress::kPending;
    int socket_error = 0;
    socklen_t length = sizeof(socket_error);
    if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &socket_error, &length) != 0) socket_error = errno;
    if (socket_error != 0) {
      *error = SocketErrorText(socket_error);
      return Progress::kFailed;
    }
    connected_ = true;
  }
  if (sent_ < out_.size()) {
    Progress progress = Send(error);
    if (progress != Progress::kDone) return progress;
  }
  return Read(error);
}

TcpExchange::Progress TcpExchange::Send(std::string* error) {
  while (sent_ < out_.size()) {
    ssize_t n = send(fd_, out_.data() + sent_, out_.size() - sent_, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return Progress::kPending;
      *error = SocketErrorText(errno);
      return Progress::kFailed;
    }
    sent_ += static_cast<size_t>(n);
  }
  return Progress::kDone;
}

TcpExchange::Progress TcpExchange::Read(std::string* error) {
  for (;;) {
    uint8_t* target;
    size_t want;
    if (length_read_ < 2) {
      target = length_octets_ + length_read_;
      want = 2 - length_read_;
    } else {
      target = in_.data() + read_;
      want = in_.size() - read_;
    }
    ssize_t n = recv(fd_, target, want, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return Progress::kPending;
      *error = SocketErrorText(errno);
      return Progress::kFailed;
    }
    if (n == 0) {
      *error = "connection closed";
      return Progress::kFailed;
    }
    if (length_read_ < 2) {
      length_read_ += static_cast<size_t>(n);
      if (length_read_ == 2) {
        // The 16-bit prefix itself bounds the reply to 65535 octets.
        size_t length = static_cast<size_t>(length_octets_[0]) << 8 | length_octets_[1];
        if (length == 0) {
          *error = "malformed answer";
          return Progress::kFailed;
        }
        in_.assign(length, 0);
      }
    } else {
      read_ += static_cast<size_t>(n);
      if (read_ == in_.size()) return Progress::kDone;
    }
  }
}

}  // namespace portcullis::dns
