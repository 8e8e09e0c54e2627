// Raw DNS client for the server self-test: builds queries with ldns, sends
// them over plain UDP/TCP sockets to 127.0.0.1 and returns the raw replies,
// so that malformed and duplicated replies (fault modes) stay observable.
//
// Each object owns its socket; single-threaded, one per test.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

// After the standard headers: ldns/common.h redefines _Bool/bool, which
// breaks <optional> and friends when they come later.
#include <ldns/ldns.h>

namespace portcullis::testing::dns_test {

using Wire = std::vector<uint8_t>;

struct PktDeleter {
  void operator()(ldns_pkt* pkt) const { ldns_pkt_free(pkt); }
};
using PktPtr = std::unique_ptr<ldns_pkt, PktDeleter>;

// A query with RD set; `edns_size` 0 sends no OPT record.
Wire MakeQuery(std::string_view name, ldns_rr_type type, uint16_t id, uint16_t edns_size = 0);
// nullptr when ldns cannot parse `wire`.
PktPtr Parse(const Wire& wire);

struct Received {
  Wire wire;
  std::chrono::milliseconds after;  // since the query was sent
};

// Sends `query` over UDP and collects replies until `max_replies` arrived or
// `window` elapsed.
std::vector<Received> UdpExchange(uint16_t port, const Wire& query, size_t max_replies,
                                  std::chrono::milliseconds window);

class TcpClient {
 public:
  explicit TcpClient(uint16_t port);
  ~TcpClient();
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Raw bytes, e.g. half a length prefix.
  bool SendRaw(const Wire& bytes);
  // Adds the RFC 1035 4.2.2 length prefix.
  bool SendFramed(const Wire& message);
  // One length-prefixed message, or nullopt on timeout/EOF.
  std::optional<Wire> Receive(std::chrono::milliseconds timeout);
  // True when the server closed the connection (reads EOF) within `timeout`.
  bool ClosedWithin(std::chrono::milliseconds timeout);

 private:
  bool ReadExact(size_t n, Wire* out, std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
};

}  // namespace portcullis::testing::dns_test
