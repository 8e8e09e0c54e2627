#include "dns/dns_query_packet.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dns/dns_name_syntax.h"
#include "dns_test_util.h"

namespace portcullis::dns {
namespace {

using testing::BuildResponse;
using testing::ResponseSpec;

QueryIdentity Identity(const std::string& name, RecordType type, uint16_t id = 0x1234) {
  QueryIdentity identity;
  identity.id = id;
  identity.qname_wire = NameToWire(name);
  identity.type = type;
  return identity;
}

std::string Check(const std::vector<uint8_t>& wire, const QueryIdentity& identity) {
  PacketPtr packet;
  switch (CheckResponse(wire.data(), wire.size(), identity, &packet)) {
    case ResponseCheck::kAccepted: return packet ? "accepted" : "accepted without packet";
    case ResponseCheck::kMismatched: return "mismatched";
    case ResponseCheck::kMalformed: return "malformed";
  }
  return "?";
}

TEST(DnsQueryPacket, BuildQueryWithAndWithoutEdns) {
  struct Case {
    uint16_t edns;
    bool want_opt;
  } cases[] = {{1232, true}, {4096, true}, {0, false}};
  for (const Case& c : cases) {
    std::vector<uint8_t> wire;
    std::string error;
    ASSERT_TRUE(
        BuildQuery(Identity("_spf.Example.com", RecordType::kTxt, 0xbeef), c.edns, &wire, &error))
        << error;
    ldns_pkt* parsed = nullptr;
    ASSERT_EQ(ldns_wire2pkt(&parsed, wire.data(), wire.size()), LDNS_STATUS_OK);
    PacketPtr packet(parsed);
    EXPECT_EQ(ldns_pkt_id(parsed), 0xbeef);
    EXPECT_FALSE(ldns_pkt_qr(parsed));
    EXPECT_TRUE(ldns_pkt_rd(parsed));
    ASSERT_EQ(ldns_pkt_qdcount(parsed), 1);
    const ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(parsed), 0);
    EXPECT_EQ(ldns_rr_get_type(question), LDNS_RR_TYPE_TXT);
    EXPECT_EQ(ldns_rr_get_class(question), LDNS_RR_CLASS_IN);
    const ldns_rdf* owner = ldns_rr_owner(question);
    EXPECT_EQ(WireToName(ldns_rdf_data(owner), ldns_rdf_size(owner)), "_spf.example.com");
    // RFC 6891 6.1.2: the OPT record sits in the additional section (ARCOUNT
    // in the header; ldns moves it out of the parsed section).
    EXPECT_EQ(wire[10] << 8 | wire[11], c.want_opt ? 1 : 0) << "edns " << c.edns;
    EXPECT_EQ(ldns_pkt_edns(parsed), c.want_opt) << "edns " << c.edns;
    if (c.want_opt) {
      EXPECT_EQ(ldns_pkt_edns_udp_size(parsed), c.edns);
    }
  }
}

TEST(DnsQueryPacket, CheckResponseMatchesTheQuestion) {
  const QueryIdentity identity = Identity("mail.example.test", RecordType::kMx, 0x4242);
  ResponseSpec good;
  good.id = 0x4242;
  good.qname = "mail.example.test.";
  good.qtype = LDNS_RR_TYPE_MX;
  good.answer = {"mail.example.test. 300 IN MX 10 mx.example.test."};
  struct Case {
    std::string what;
    std::vector<uint8_t> wire;
    std::string want;
  };
  std::vector<Case> cases;
  cases.push_back({"the answer", BuildResponse(good), "accepted"});
  ResponseSpec spec = good;
  spec.qname = "MAIL.Example.TEST.";
  cases.push_back({"QNAME in another case (RFC 4343)", BuildResponse(spec), "accepted"});
  spec = good;
  spec.id = 0x4243;
  cases.push_back({"wrong id", BuildResponse(spec), "mismatched"});
  spec = good;
  spec.qr = false;
  cases.push_back({"QR clear", BuildResponse(spec), "mismatched"});
  spec = good;
  spec.qname = "wrong-question.invalid.";
  cases.push_back({"wrong QNAME", BuildResponse(spec), "mismatched"});
  spec = good;
  spec.qname = "mail.example.test.example.test.";
  cases.push_back({"QNAME with a suffix", BuildResponse(spec), "mismatched"});
  spec = good;
  spec.qtype = LDNS_RR_TYPE_A;
  cases.push_back({"wrong QTYPE", BuildResponse(spec), "mismatched"});
  std::vector<uint8_t> wire = BuildResponse(good);
  cases.push_back(
      {"first 7 bytes", std::vector<uint8_t>(wire.begin(), wire.begin() + 7), "malformed"});
  cases.push_back({"header only, counts say more",
                   std::vector<uint8_t>(wire.begin(), wire.begin() + 12), "malformed"});
  cases.push_back(
      {"last 3 bytes missing", std::vector<uint8_t>(wire.begin(), wire.end() - 3), "malformed"});
  std::vector<uint8_t> wrong_class = wire;
  // The question's class is the last two octets before the answer section:
  // 12 header + name (19) + type (2) -> class at 33..34.
  wrong_class[34] = 3;  // CH
  cases.push_back({"wrong QCLASS", wrong_class, "mismatched"});
  for (const Case& c : cases) EXPECT_EQ(Check(c.wire, identity), c.want) << c.what;
}

// Hand-built messages ldns would never write.
std::vector<uint8_t> RawResponse(uint16_t ancount, const std::vector<uint8_t>& answer) {
  std::vector<uint8_t> wire = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, static_cast<uint8_t>(ancount),
                               0,    0,    0,    0};
  // Question a.test A IN, at offset 12.
  std::vector<uint8_t> question = {1, 'a', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1};
  wire.insert(wire.end(), question.begin(), question.end());
  wire.insert(wire.end(), answer.begin(), answer.end());
  return wire;
}

TEST(DnsQueryPacket, HostileMessagesAreMalformed) {
  const QueryIdentity identity = Identity("a.test", RecordType::kA);
  const uint8_t kAnswerOffset = 24;  // 12 header + 12 question
  struct Case {
    std::string what;
    std::vector<uint8_t> wire;
    std::string want;
  } cases[] = {
      {"compressed owner pointing at the question",
       RawResponse(1, {0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 0, 0, 4, 192, 0, 2, 1}), "accepted"},
      {"owner is a compression pointer to itself",
       RawResponse(1, {0xc0, kAnswerOffset, 0, 1, 0, 1, 0, 0, 1, 0, 0, 4, 192, 0, 2, 1}),
       "malformed"},
      {"two pointers pointing at each other", RawResponse(1, {1, 'x', 0xc0, kAnswerOffset + 4,
                                                              1, 'y', 0xc0, kAnswerOffset,
                                                              0, 1,   0,    1,
                                                              0, 0,   1,    0,
                                                              0, 4,   192,  0,
                                                              2, 1}),
       "malformed"},
      {"pointer past the end",
       RawResponse(1, {0xc0, 0xff, 0, 1, 0, 1, 0, 0, 1, 0, 0, 4, 192, 0, 2, 1}), "malformed"},
      {"rdlength past the end of the message",
       RawResponse(1, {0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 0, 0xff, 0xff, 192, 0, 2, 1}), "malformed"},
      {"TXT character-string longer than its record",
       RawResponse(1, {0xc0, 12, 0, 16, 0, 1, 0, 0, 1, 0, 0, 3, 200, 'a', 'b'}), "malformed"},
      {"label longer than 63 octets",
       RawResponse(1, {64, 'a', 'a', 'a', 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 4, 192, 0, 2, 1}),
       "malformed"},
      {"answer count larger than the records present", RawResponse(2, {}), "malformed"},
  };
  for (const Case& c : cases) EXPECT_EQ(Check(c.wire, identity), c.want) << c.what;
}

TEST(DnsQueryPacket, RcodeNames) {
  EXPECT_EQ(RcodeName(LDNS_RCODE_NOERROR), "NOERROR");
  EXPECT_EQ(RcodeName(LDNS_RCODE_SERVFAIL), "SERVFAIL");
  EXPECT_EQ(RcodeName(LDNS_RCODE_REFUSED), "REFUSED");
  EXPECT_EQ(RcodeName(LDNS_RCODE_NXDOMAIN), "NXDOMAIN");
  EXPECT_EQ(RcodeName(11), "RCODE11");
}

}  // namespace
}  // namespace portcullis::dns
