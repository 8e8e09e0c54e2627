#include "dns/dns_query_packet.h"

#include <cstdlib>

#include "dns/dns_name_syntax.h"

namespace portcullis::dns {
namespace {

uint16_t ReadUint16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

}  // namespace

bool BuildQuery(const QueryIdentity& identity, uint16_t edns_udp_size, std::vector<uint8_t>* wire,
                std::string* error) {
  ldns_rdf* qname = ldns_dname_new_frm_data(static_cast<uint16_t>(identity.qname_wire.size()),
                                            identity.qname_wire.data());
  if (!qname) {
    *error = "cannot build the query name";
    return false;
  }
  // ldns_pkt_query_new takes ownership of qname.
  PacketPtr packet(ldns_pkt_query_new(qname, static_cast<ldns_rr_type>(identity.type),
                                      LDNS_RR_CLASS_IN, LDNS_RD));
  if (!packet) {
    *error = "cannot build the query";
    return false;
  }
  ldns_pkt_set_id(packet.get(), identity.id);
  if (edns_udp_size > 0) ldns_pkt_set_edns_udp_size(packet.get(), edns_udp_size);
  uint8_t* bytes = nullptr;
  size_t size = 0;
  if (ldns_pkt2wire(&bytes, packet.get(), &size) != LDNS_STATUS_OK || !bytes) {
    std::free(bytes);
    *error = "cannot encode the query";
    return false;
  }
  wire->assign(bytes, bytes + size);
  std::free(bytes);  // ldns allocates with malloc (LDNS_XMALLOC)
  return true;
}

ResponseCheck CheckResponse(const uint8_t* data, size_t size, const QueryIdentity& identity,
                            PacketPtr* packet) {
  if (size < kDnsHeaderOctets) return ResponseCheck::kMalformed;
  // Cheap header checks first, so that a flood of spoofed packets with wrong
  // IDs costs no parsing (RFC 5452 4.3: ID and question must match).
  if (ReadUint16(data) != identity.id) return ResponseCheck::kMismatched;
  if (!(data[2] & 0x80)) return ResponseCheck::kMismatched;  // QR clear: a query
  ldns_pkt* parsed = nullptr;
  // ldns bounds compression pointers and label lengths, and rejects rdata
  // that overruns its record or the message.
  if (ldns_wire2pkt(&parsed, data, size) != LDNS_STATUS_OK || !parsed) {
    return ResponseCheck::kMalformed;
  }
  PacketPtr owned(parsed);
  if (ldns_pkt_get_opcode(parsed) != LDNS_PACKET_QUERY) return ResponseCheck::kMismatched;
  const ldns_rr_list* question = ldns_pkt_question(parsed);
  if (ldns_rr_list_rr_count(question) != 1) return ResponseCheck::kMismatched;
  const ldns_rr* asked = ldns_rr_list_rr(question, 0);
  const ldns_rdf* owner = ldns_rr_owner(asked);
  if (ldns_rr_get_type(asked) != static_cast<ldns_rr_type>(identity.type) ||
      ldns_rr_get_class(asked) != LDNS_RR_CLASS_IN || !owner ||
      !WireNamesEqual(ldns_rdf_data(owner), ldns_rdf_size(owner), identity.qname_wire.data(),
                      identity.qname_wire.size())) {
    return ResponseCheck::kMismatched;
  }
  *packet = std::move(owned);
  return ResponseCheck::kAccepted;
}

std::string RcodeName(int rcode) {
  switch (rcode) {
    case LDNS_RCODE_NOERROR: return "NOERROR";
    case LDNS_RCODE_FORMERR: return "FORMERR";
    case LDNS_RCODE_SERVFAIL: return "SERVFAIL";
    case LDNS_RCODE_NXDOMAIN: return "NXDOMAIN";
    case LDNS_RCODE_NOTIMPL: return "NOTIMP";
    case LDNS_RCODE_REFUSED: return "REFUSED";
    default: return "RCODE" + std::to_string(rcode);
  }
}

}  // namespace portcullis::dns
