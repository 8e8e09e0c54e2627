// One TCP exchange with a name server, after a truncated UDP answer (RFC 1035
// 4.2.2, RFC 7766 5): a non-blocking connect, the query behind its 2-byte
// length, and the reply read back the same way. Partial writes and reads are
// resumed on the next readiness event, so the loop thread never blocks.
//
// Owns its socket (closed by the destructor). Used by one thread at a time
// (the resolver's loop thread), which polls fd() for wanted_events().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dns/dns_server_list.h"

namespace portcullis::dns {

class TcpExchange {
 public:
  // Starts connecting. nullptr with `error` set when the socket or connect()
  // fails at once.
  static std::unique_ptr<TcpExchange> Start(const ServerAddress& server,
                                            const std::vector<uint8_t>& query, std::string* error);
  ~TcpExchange();
  TcpExchange(const TcpExchange&) = delete;
  TcpExchange& operator=(const TcpExchange&) = delete;

  int fd() const { return fd_; }
  // EPOLLOUT while connecting or sending, then EPOLLIN.
  uint32_t wanted_events() const;

  enum class Progress { kPending, kDone, kFailed };
  // Advances on a readiness event. kDone: reply() holds the whole message;
  // kFailed: *error says why ("connection refused", "connection closed").
  Progress OnReady(uint32_t events, std::string* error);
  const std::vector<uint8_t>& reply() const { return in_; }

 private:
  explicit TcpExchange(int fd) : fd_(fd) {}
  Progress Send(std::string* error);
  Progress Read(std::string* error);

  int fd_;
  bool connected_ = false;
  std::vector<uint8_t> out_;  // length prefix + query
  size_t sent_ = 0;
  uint8_t length_octets_[2] = {0, 0};
  size_t length_read_ = 0;
  std::vector<uint8_t> in_;  // sized from the length prefix (at most 65535)
  size_t read_ = 0;
};

}  // namespace portcullis::dns
