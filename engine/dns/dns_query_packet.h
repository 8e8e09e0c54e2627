// DNS messages on the wire, through ldns: the query we send, and the check
// that a received message really answers it before anything else reads it.
//
// Security: every received byte comes from the network. A response is used
// only when it parses, has QR set, our random ID, exactly our question
// (QNAME ignoring case, QTYPE, QCLASS IN) and opcode QUERY; anything else is
// reported as mismatched (a spoofing attempt or a stale answer: keep waiting)
// or malformed (unparsable: keep waiting, then report "malformed answer").
//
// Pure functions; thread-safe. PacketPtr owns its ldns_pkt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dns/ldns_include.h"
#include "portcullis/dns.h"

namespace portcullis::dns {

struct PacketDeleter {
  void operator()(ldns_pkt* packet) const { ldns_pkt_free(packet); }
};
using PacketPtr = std::unique_ptr<ldns_pkt, PacketDeleter>;

// RFC 1035 4.1.1: the fixed header every message starts with.
inline constexpr size_t kDnsHeaderOctets = 12;
// RFC 1035 4.2.2: a TCP message carries a 16-bit length, so no answer can be
// larger than this; it also bounds our receive buffers.
inline constexpr size_t kMaxDnsMessageOctets = 65535;

// The question a response must match.
struct QueryIdentity {
  uint16_t id = 0;
  std::vector<uint8_t> qname_wire;  // NameToWire of the normalised name
  RecordType type = RecordType::kA;
};

// A query for `identity`: RD set (we are a stub), class IN, and an EDNS0 OPT
// record (RFC 6891 6.1) advertising `edns_udp_size` unless it is 0. Returns
// false and sets `error` when ldns cannot build it.
bool BuildQuery(const QueryIdentity& identity, uint16_t edns_udp_size, std::vector<uint8_t>* wire,
                std::string* error);

enum class ResponseCheck {
  kAccepted,    // *packet holds the parsed response to our question
  kMismatched,  // wrong ID, not a response, or another question: ignore it
  kMalformed,   // not a DNS message ldns can parse (short, bad compression)
};

ResponseCheck CheckResponse(const uint8_t* data, size_t size, const QueryIdentity& identity,
                            PacketPtr* packet);

// "NOERROR", "SERVFAIL", ... for errors and metric labels; "RCODE<n>" for
// values without a name here.
std::string RcodeName(int rcode);

}  // namespace portcullis::dns
