#include "responder.h"

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "server_options.h"

namespace portcullis::testing::dns_server {

namespace {

struct PktDeleter {
  void operator()(ldns_pkt* pkt) const { ldns_pkt_free(pkt); }
};
using PktPtr = std::unique_ptr<ldns_pkt, PktDeleter>;

constexpr size_t kHeaderSize = 12;  // RFC 1035 4.1.1

// What goes into a reply besides the header copied from the query.
struct ReplyContent {
  ldns_pkt_rcode rcode = LDNS_RCODE_NOERROR;
  const Resolution* resolution = nullptr;   // records; none when null
  bool truncated = false;                   // TC=1, answer/authority left out
  const ldns_rdf* question_name = nullptr;  // replaces the query's QNAME when set
};

std::vector<uint8_t> ToWire(const ldns_pkt* pkt) {
  uint8_t* buf = nullptr;
  size_t size = 0;
  if (ldns_pkt2wire(&buf, pkt, &size) != LDNS_STATUS_OK) {
    free(buf);
    return {};
  }
  std::vector<uint8_t> wire(buf, buf + size);
  free(buf);
  return wire;
}

std::vector<uint8_t> BuildReply(const ldns_pkt* query, const ReplyContent& content,
                                size_t udp_max) {
  PktPtr reply(ldns_pkt_new());
  ldns_pkt_set_id(reply.get(), ldns_pkt_id(query));
  ldns_pkt_set_qr(reply.get(), true);
  ldns_pkt_set_aa(reply.get(), true);
  ldns_pkt_set_ra(reply.get(), false);
  ldns_pkt_set_rd(reply.get(), ldns_pkt_rd(query));
  ldns_pkt_set_cd(reply.get(), ldns_pkt_cd(query));
  ldns_pkt_set_opcode(reply.get(), LDNS_PACKET_QUERY);
  ldns_pkt_set_rcode(reply.get(), content.rcode);
  ldns_pkt_set_tc(reply.get(), content.truncated);
  const ldns_rr_list* questions = ldns_pkt_question(query);
  for (size_t i = 0; i < ldns_rr_list_rr_count(questions); ++i) {
    ldns_rr* q = ldns_rr_clone(ldns_rr_list_rr(questions, i));
    if (content.question_name != nullptr) {
      ldns_rdf_deep_free(ldns_rr_owner(q));
      ldns_rr_set_owner(q, ldns_rdf_clone(content.question_name));
    }
    ldns_pkt_push_rr(reply.get(), LDNS_SECTION_QUESTION, q);
  }
  if (content.resolution != nullptr && !content.truncated) {
    for (const RrPtr& rr : content.resolution->answer) {
      ldns_pkt_push_rr(reply.get(), LDNS_SECTION_ANSWER, ldns_rr_clone(rr.get()));
    }
    if (content.resolution->soa != nullptr) {
      ldns_pkt_push_rr(reply.get(), LDNS_SECTION_AUTHORITY,
                       ldns_rr_clone(content.resolution->soa.get()));
    }
  }
  // RFC 6891 7: a responder that receives an OPT record answers with one.
  if (ldns_pkt_edns(query)) {
    ldns_pkt_set_edns_udp_size(reply.get(),
                               static_cast<uint16_t>(std::min<size_t>(udp_max, 65535)));
  }
  return ToWire(reply.get());
}

// RFC 1035 4.1.1 header with only the ID, QR, opcode and RCODE: for
// queries ldns cannot parse or that carry no single question.
std::vector<uint8_t> HeaderOnlyReply(const uint8_t* data, ldns_pkt_rcode rcode) {
  std::vector<uint8_t> wire(kHeaderSize, 0);
  wire[0] = data[0];
  wire[1] = data[1];
  wire[2] = static_cast<uint8_t>(0x80 | (data[2] & 0x79));  // QR, opcode, RD
  wire[3] = static_cast<uint8_t>(rcode & 0x0f);
  return wire;
}

// The compression-loop fault: header, the question as received, and one
// answer RR whose owner name is a pointer to its own offset (RFC 1035
// 4.1.4 pointers must point backwards; this one never terminates).
std::vector<uint8_t> CompressionLoopReply(const ldns_pkt* query, const ldns_rr* question) {
  std::vector<uint8_t> wire = {static_cast<uint8_t>(ldns_pkt_id(query) >> 8),
                               static_cast<uint8_t>(ldns_pkt_id(query)),
                               static_cast<uint8_t>(0x84 | (ldns_pkt_rd(query) ? 1 : 0)),
                               0x00,  // QR AA RD, NOERROR
                               0,
                               1,
                               0,
                               1,
                               0,
                               0,
                               0,
                               0};  // QD=1 AN=1
  const ldns_rdf* qname = ldns_rr_owner(question);
  const uint8_t* name = ldns_rdf_data(qname);
  wire.insert(wire.end(), name, name + ldns_rdf_size(qname));
  const uint16_t qtype = ldns_rr_get_type(question);
  const uint16_t qclass = ldns_rr_get_class(question);
  wire.insert(wire.end(), {static_cast<uint8_t>(qtype >> 8), static_cast<uint8_t>(qtype),
                           static_cast<uint8_t>(qclass >> 8), static_cast<uint8_t>(qclass)});
  const size_t self = wire.size();  // < 16384: header + a name of <= 255 bytes + 4
  wire.insert(wire.end(), {static_cast<uint8_t>(0xC0 | (self >> 8)), static_cast<uint8_t>(self), 0,
                           1, 0, 1,            // TYPE A, CLASS IN
                           0, 0, 0, 60, 0, 4,  // TTL 60, RDLENGTH 4
                           192, 0, 2, 1});
  return wire;
}

std::string LowerNoDot(const ldns_rdf* name) {
  char* text = ldns_rdf2str(name);
  std::string out = NormalizeName(text != nullptr ? text : "");
  free(text);
  return out.empty() ? "." : out;
}

}  // namespace

Response Responder::Respond(const uint8_t* data, size_t size, Transport transport) const {
  Response response;
  if (size < kHeaderSize) return response;     // not even a header: nothing to answer
  if ((data[2] & 0x80) != 0) return response;  // a response, not a query: never answer those
  ldns_pkt* parsed = nullptr;
  if (ldns_wire2pkt(&parsed, data, size) != LDNS_STATUS_OK) {
    ldns_pkt_free(parsed);
    response.replies.push_back({0, HeaderOnlyReply(data, LDNS_RCODE_FORMERR)});
    return response;
  }
  PktPtr query(parsed);
  if (ldns_pkt_get_opcode(query.get()) != LDNS_PACKET_QUERY) {
    response.replies.push_back({0, HeaderOnlyReply(data, LDNS_RCODE_NOTIMPL)});
    return response;
  }
  if (ldns_pkt_qdcount(query.get()) != 1) {
    response.replies.push_back({0, HeaderOnlyReply(data, LDNS_RCODE_FORMERR)});
    return response;
  }
  const ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(query.get()), 0);
  const ldns_rdf* qname = ldns_rr_owner(question);
  const ldns_rr_type qtype = ldns_rr_get_type(question);
  response.logged = true;
  response.log_qname = LowerNoDot(qname);
  char* type_text = ldns_rr_type2str(qtype);
  response.log_qtype = type_text != nullptr ? type_text : "?";
  free(type_text);

  // RFC 6891 6.2.5: the requestor's payload size, never below 512 (RFC 1035
  // 4.2.1), capped by what we are configured to send.
  size_t udp_limit = kClassicUdpSize;
  if (ldns_pkt_edns(query.get())) {
    udp_limit = std::max<size_t>(udp_limit, ldns_pkt_edns_udp_size(query.get()));
  }
  udp_limit = std::min(udp_limit, udp_max_);

  const Resolution resolution = zones_.Resolve(qname, qtype);
  ReplyContent normal;
  normal.resolution = &resolution;
  normal.rcode = resolution.in_zone ? resolution.rcode : LDNS_RCODE_REFUSED;
  auto correct = [&](bool force_truncation) {
    ReplyContent content = normal;
    std::vector<uint8_t> wire = BuildReply(query.get(), content, udp_max_);
    if (transport == Transport::kUdp && (force_truncation || wire.size() > udp_limit)) {
      // RFC 2181 9: set TC and leave out what does not fit; we leave out the
      // whole answer so the client retries over TCP.
      content.truncated = true;
      wire = BuildReply(query.get(), content, udp_max_);
    }
    return wire;
  };

  const Fault* fault = FindFault(faults_, response.log_qname == "." ? "" : response.log_qname);
  if (fault == nullptr) {
    response.replies.push_back({0, correct(false)});
    return response;
  }
  const bool udp = transport == Transport::kUdp;
  switch (fault->mode) {
    case FaultMode::kDrop: break;
    case FaultMode::kServfail:
    case FaultMode::kRefused: {
      ReplyContent content;
      content.rcode =
          fault->mode == FaultMode::kServfail ? LDNS_RCODE_SERVFAIL : LDNS_RCODE_REFUSED;
      response.replies.push_back({0, BuildReply(query.get(), content, udp_max_)});
      break;
    }
    case FaultMode::kTruncate: response.replies.push_back({0, correct(udp)}); break;
    case FaultMode::kWrongId: {
      if (!udp) {
        response.replies.push_back({0, correct(false)});
        break;
      }
      std::vector<uint8_t> decoy = correct(false);
      const uint16_t wrong_id = static_cast<uint16_t>(ldns_pkt_id(query.get()) + 1);
      decoy[0] = static_cast<uint8_t>(wrong_id >> 8);
      decoy[1] = static_cast<uint8_t>(wrong_id);
      response.replies.push_back({0, std::move(decoy)});
      response.replies.push_back({kDecoyGapMs, correct(false)});
      break;
    }
    case FaultMode::kWrongQuestion: {
      if (!udp) {
        response.replies.push_back({0, correct(false)});
        break;
      }
      ldns_rdf* other = ldns_dname_new_frm_str("wrong-question.invalid.");
      ReplyContent content = normal;
      content.question_name = other;
      response.replies.push_back({0, BuildReply(query.get(), content, udp_max_)});
      ldns_rdf_deep_free(other);
      response.replies.push_back({kDecoyGapMs, correct(false)});
      break;
    }
    case FaultMode::kCompressionLoop:
      response.replies.push_back({0, CompressionLoopReply(query.get(), question)});
      break;
    case FaultMode::kShort: {
      std::vector<uint8_t> wire = correct(false);
      wire.resize(std::min(wire.size(), kShortReplyBytes));
      response.replies.push_back({0, std::move(wire)});
      break;
    }
    case FaultMode::kDelay: response.replies.push_back({fault->delay_ms, correct(false)}); break;
  }
  return response;
}

}  // namespace portcullis::testing::dns_server
