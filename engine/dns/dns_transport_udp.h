// One UDP exchange with a name server: a fresh socket per attempt, bound to a
// kernel-chosen port and connected to the server, and the receive that
// checks where each datagram came from.
//
// Security: RFC 5452 9.2 / RFC 5452 10: a random source port per query
// (bind to port 0: Linux picks ephemeral ports at random) multiplies the
// 16-bit ID's guessing space; connect() makes the kernel drop datagrams from
// other sources, and the source is checked again here anyway.
//
// Owns its socket (closed by the destructor). Used by one thread at a time
// (the resolver's loop thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dns/dns_server_list.h"

namespace portcullis::dns {

// Short texts for socket errors that end an attempt ("network unreachable",
// "connection refused"; otherwise strerror).
std::string SocketErrorText(int error_number);

class UdpExchange {
 public:
  // Opens, binds, connects and sends `query`. nullptr with `error` set on
  // failure.
  static std::unique_ptr<UdpExchange> Start(const ServerAddress& server,
                                            const std::vector<uint8_t>& query, std::string* error);
  ~UdpExchange();
  UdpExchange(const UdpExchange&) = delete;
  UdpExchange& operator=(const UdpExchange&) = delete;

  int fd() const { return fd_; }

  enum class Receive {
    kDatagram,  // *size bytes from the server are in the buffer
    kForeign,   // a datagram from another address: dropped
    kNone,      // nothing more to read now
    kError,     // a socket error (ICMP unreachable): *error says which
  };
  Receive ReceiveOne(uint8_t* buffer, size_t capacity, size_t* size, std::string* error);

 private:
  UdpExchange(int fd, const ServerAddress& server) : fd_(fd), server_(server) {}

  int fd_;
  ServerAddress server_;
};

}  // namespace portcullis::dns
