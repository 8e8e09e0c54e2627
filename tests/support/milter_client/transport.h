// Transport: one blocking stream socket to a milter, with timeouts.
//
// Owns the file descriptor (closed in the destructor; move-only). Parses the
// Sendmail/Postfix socket spec ("inet:PORT@HOST", "inet6:PORT@HOST",
// "unix:/path", "local:/path" or a bare "/path"), sets TCP_NODELAY on TCP
// sockets unless told not to (an MTA-side Nagle delay would otherwise be
// measured as filter latency), and bounds every read and write by a timeout so
// a hung filter turns into a MilterError instead of a hung test. One thread
// at a time.
#ifndef PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_TRANSPORT_H_
#define PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_TRANSPORT_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "framing.h"

namespace portcullis::milterclient {

struct TransportOptions {
  std::chrono::milliseconds timeout{10000};  // Per read / per write.
  bool tcp_nodelay = true;  // false reproduces Postfix, which leaves Nagle on.
};

class Transport {
 public:
  // Connects to a socket spec; throws MilterError on failure.
  static Transport Connect(const std::string& address, const TransportOptions& options);
  // Adopts an already connected fd (e.g. one end of a socketpair).
  static Transport Adopt(int fd, const TransportOptions& options);

  Transport(Transport&& other) noexcept;
  Transport& operator=(Transport&& other) noexcept;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
  ~Transport();

  void WritePacket(char command, std::string_view payload);
  // Writes already encoded packets in one send(); `what` names them for
  // errors. An MTA flushes a stage's macros and command together, and with
  // Nagle on, two writes would cost a delayed-ACK wait.
  void WriteWire(std::string_view wire, char command);
  // Blocks up to the timeout for one packet. `waiting_for` names what the
  // caller expects, so a timeout says e.g. "reply to SMFIC_BODYEOB ('E')".
  Packet ReadPacket(const std::string& waiting_for);
  // Returns a packet only if one is already complete or arrives without
  // blocking; used after stages the filter said it will not answer.
  std::optional<Packet> TryReadPacket();

  void Close();
  int fd() const { return fd_; }
  const std::string& address() const { return address_; }

 private:
  Transport(int fd, std::string address, const TransportOptions& options);
  // Reads what is available into the decoder; false on timeout.
  bool Fill(int timeout_ms, const std::string& waiting_for);

  int fd_ = -1;
  std::string address_;
  TransportOptions options_;
  PacketDecoder decoder_;
};

}  // namespace portcullis::milterclient

#endif  // PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_TRANSPORT_H_
