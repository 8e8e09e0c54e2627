// Turns one received DNS message into the datagrams/segments to send back:
// normal authoritative answers from the ZoneStore, EDNS0 and UDP truncation
// (RFC 6891 7, RFC 1035 4.2.1), and the injected faults (fault.h).
//
// Stateless apart from references to the zone data, faults and options,
// which must outlive it. Single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fault.h"
#include "zone_store.h"

namespace portcullis::testing::dns_server {

enum class Transport { kUdp, kTcp };

// One message to send, `delay_ms` after the query arrived. For TCP the wire
// bytes are the bare DNS message; the server adds the 2-byte length prefix
// (RFC 1035 4.2.2), which for kShort frames only the 7 bytes sent.
struct Reply {
  int delay_ms = 0;
  std::vector<uint8_t> wire;
};

struct Response {
  bool logged = false;         // the query had a question worth a query-log line
  std::string log_qname;       // lower case, no trailing dot ("." for the root)
  std::string log_qtype;       // mnemonic, e.g. "MX"
  std::vector<Reply> replies;  // empty: send nothing
};

// How long wrong-id/wrong-question wait before the correct reply: long
// enough that a client sees the decoy first, short enough for fast tests.
inline constexpr int kDecoyGapMs = 20;
// kShort sends this many bytes: less than a DNS header (12), so no client
// can mistake it for a message.
inline constexpr size_t kShortReplyBytes = 7;

class Responder {
 public:
  Responder(const ZoneStore& zones, const std::vector<Fault>& faults, size_t udp_max)
      : zones_(zones), faults_(faults), udp_max_(udp_max) {}

  Response Respond(const uint8_t* data, size_t size, Transport transport) const;

 private:
  const ZoneStore& zones_;
  const std::vector<Fault>& faults_;
  size_t udp_max_;
};

}  // namespace portcullis::testing::dns_server
