// Self-test of portcullis_test_dns_server: starts the real binary through
// DnsServerProcess on tests/data/dns/selftest.zone (+ other.zone) and checks
// its answers and fault modes with raw queries.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "dns_server_process.h"
#include "dns_test_client.h"

extern char** environ;

namespace portcullis::testing {
namespace {

using dns_test::MakeQuery;
using dns_test::Parse;
using dns_test::PktPtr;
using dns_test::TcpClient;
using dns_test::UdpExchange;
using dns_test::Wire;
using std::chrono::milliseconds;

const std::string kDataDir = PORTCULLIS_TEST_DNS_DATA_DIR;
constexpr milliseconds kReplyTimeout(2000);
constexpr milliseconds kDropWindow(300);

std::string Str(const ldns_rdf* rdf) {
  char* s = ldns_rdf2str(rdf);
  std::string out = s != nullptr ? s : "";
  free(s);
  for (char& c : out) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return out;
}

// "owner TYPE rdata..." for each RR of a section.
std::vector<std::string> Section(const ldns_rr_list* list) {
  std::vector<std::string> out;
  for (size_t i = 0; i < ldns_rr_list_rr_count(list); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(list, i);
    char* type = ldns_rr_type2str(ldns_rr_get_type(rr));
    std::string text = Str(ldns_rr_owner(rr)) + " " + type;
    free(type);
    for (size_t f = 0; f < ldns_rr_rd_count(rr); ++f) text += " " + Str(ldns_rr_rdf(rr, f));
    out.push_back(text);
  }
  return out;
}

std::string RcodeName(ldns_pkt_rcode rcode) {
  switch (rcode) {
    case LDNS_RCODE_NOERROR: return "NOERROR";
    case LDNS_RCODE_FORMERR: return "FORMERR";
    case LDNS_RCODE_SERVFAIL: return "SERVFAIL";
    case LDNS_RCODE_NXDOMAIN: return "NXDOMAIN";
    case LDNS_RCODE_REFUSED: return "REFUSED";
    default: return "RCODE" + std::to_string(rcode);
  }
}

class DnsServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    server_ =
        DnsServerProcess::Start(
            {kDataDir + "/selftest.zone", kDataDir + "/other.zone"},
            {"drop.f.selftest.test=drop", "servfail.f.selftest.test=servfail",
             "refused.f.selftest.test=refused", "truncate.f.selftest.test=truncate",
             "wrong-id.f.selftest.test=wrong-id", "wrong-question.f.selftest.test=wrong-question",
             "loop.f.selftest.test=compression-loop", "short.f.selftest.test=short",
             "slow.f.selftest.test=delay-200", "outside.example=servfail"},
            &error)
            .release();
    ASSERT_NE(server_, nullptr) << error;
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }

  static uint16_t port() { return server_->port(); }

  // One UDP query, one reply expected.
  static PktPtr AskUdp(std::string_view name, ldns_rr_type type, uint16_t edns = 4096,
                       Wire* raw = nullptr) {
    auto got = UdpExchange(port(), MakeQuery(name, type, 0x1234, edns), 1, kReplyTimeout);
    if (got.empty()) return nullptr;
    if (raw != nullptr) *raw = got[0].wire;
    return Parse(got[0].wire);
  }
  static PktPtr AskTcp(std::string_view name, ldns_rr_type type) {
    TcpClient tcp(port());
    if (!tcp.SendFramed(MakeQuery(name, type, 0x4321))) return nullptr;
    auto reply = tcp.Receive(kReplyTimeout);
    return reply ? Parse(*reply) : nullptr;
  }

  static DnsServerProcess* server_;
};

DnsServerProcess* DnsServerTest::server_ = nullptr;

struct AnswerCase {
  std::string name;
  ldns_rr_type type;
  std::string rcode;
  std::vector<std::string> answer;
  int soa_ttl;  // -1: no SOA in the authority section
};

const std::vector<AnswerCase> kAnswerCases = {
    {"www.selftest.test", LDNS_RR_TYPE_A, "NOERROR", {"www.selftest.test. A 192.0.2.1"}, -1},
    {"WwW.SelfTest.TEST.", LDNS_RR_TYPE_A, "NOERROR", {"www.selftest.test. A 192.0.2.1"}, -1},
    {"www.selftest.test",
     LDNS_RR_TYPE_AAAA,
     "NOERROR",
     {"www.selftest.test. AAAA 2001:db8::1"},
     -1},
    {"txt.selftest.test",
     LDNS_RR_TYPE_TXT,
     "NOERROR",
     {"txt.selftest.test. TXT \"first string\" \"second string\""},
     -1},
    {"selftest.test", LDNS_RR_TYPE_MX, "NOERROR", {"selftest.test. MX 10 mail.selftest.test."}, -1},
    {"selftest.test",
     LDNS_RR_TYPE_TXT,
     "NOERROR",
     {"selftest.test. TXT \"v=spf1 ip4:192.0.2.0/24 -all\""},
     -1},
    {"selftest.test",
     LDNS_RR_TYPE_SOA,
     "NOERROR",
     {"selftest.test. SOA ns1.selftest.test. hostmaster.selftest.test. 1 3600 600 86400 60"},
     -1},
    // NXDOMAIN vs NODATA; SOA TTL = min(3600, MINIMUM 60) (RFC 2308 3).
    {"nope.selftest.test", LDNS_RR_TYPE_A, "NXDOMAIN", {}, 60},
    {"www.selftest.test", LDNS_RR_TYPE_TXT, "NOERROR", {}, 60},
    {"ent.selftest.test", LDNS_RR_TYPE_A, "NOERROR", {}, 60},
    {"leaf.ent.selftest.test",
     LDNS_RR_TYPE_A,
     "NOERROR",
     {"leaf.ent.selftest.test. A 192.0.2.2"},
     -1},
    {"nope.other.test", LDNS_RR_TYPE_A, "NXDOMAIN", {}, 120},
    // CNAME chains.
    {"alias1.selftest.test",
     LDNS_RR_TYPE_A,
     "NOERROR",
     {"alias1.selftest.test. CNAME alias2.selftest.test.",
      "alias2.selftest.test. CNAME alias3.selftest.test.",
      "alias3.selftest.test. CNAME www.selftest.test.", "www.selftest.test. A 192.0.2.1"},
     -1},
    {"alias1.selftest.test",
     LDNS_RR_TYPE_CNAME,
     "NOERROR",
     {"alias1.selftest.test. CNAME alias2.selftest.test."},
     -1},
    {"outside.selftest.test",
     LDNS_RR_TYPE_A,
     "NOERROR",
     {"outside.selftest.test. CNAME host.other.test.", "host.other.test. A 198.51.100.7"},
     -1},
    {"dangling.selftest.test",
     LDNS_RR_TYPE_A,
     "NXDOMAIN",
     {"dangling.selftest.test. CNAME missing.selftest.test."},
     60},
    {"alias3.selftest.test",
     LDNS_RR_TYPE_TXT,
     "NOERROR",
     {"alias3.selftest.test. CNAME www.selftest.test."},
     60},
    // Wildcards (RFC 4592).
    {"2.0.0.10.bl.selftest.test",
     LDNS_RR_TYPE_A,
     "NOERROR",
     {"2.0.0.10.bl.selftest.test. A 127.0.0.2"},
     -1},
    {"2.0.0.10.bl.selftest.test",
     LDNS_RR_TYPE_TXT,
     "NOERROR",
     {"2.0.0.10.bl.selftest.test. TXT \"listed\""},
     -1},
    {"2.0.0.10.bl.selftest.test", LDNS_RR_TYPE_AAAA, "NOERROR", {}, 60},
    {"1.0.0.127.bl.selftest.test",
     LDNS_RR_TYPE_A,
     "NOERROR",
     {"1.0.0.127.bl.selftest.test. A 127.0.0.4"},
     -1},
    // RFC 4592 2.2.2: 1.0.0.127.bl makes 0.0.127.bl an empty non-terminal,
    // the closest encloser of these names, and it has no "*" child.
    {"2.0.0.127.bl.selftest.test", LDNS_RR_TYPE_A, "NXDOMAIN", {}, 60},
    {"x.1.0.0.127.bl.selftest.test", LDNS_RR_TYPE_A, "NXDOMAIN", {}, 60},
    {"bl.selftest.test", LDNS_RR_TYPE_A, "NOERROR", {}, 60},
    // Outside every zone.
    {"www.example.org", LDNS_RR_TYPE_A, "REFUSED", {}, -1},
    {"test", LDNS_RR_TYPE_A, "REFUSED", {}, -1},
    {".", LDNS_RR_TYPE_NS, "REFUSED", {}, -1},
};

void CheckAnswer(const AnswerCase& c, const ldns_pkt* pkt, uint16_t want_id, const char* how) {
  SCOPED_TRACE(std::string(how) + " " + c.name);
  ASSERT_NE(pkt, nullptr) << "no parsable reply";
  EXPECT_EQ(ldns_pkt_id(pkt), want_id);
  EXPECT_TRUE(ldns_pkt_qr(pkt));
  EXPECT_TRUE(ldns_pkt_aa(pkt));
  EXPECT_FALSE(ldns_pkt_ra(pkt));
  EXPECT_TRUE(ldns_pkt_rd(pkt));
  EXPECT_FALSE(ldns_pkt_tc(pkt));
  EXPECT_EQ(RcodeName(ldns_pkt_get_rcode(pkt)), c.rcode);
  ASSERT_EQ(ldns_pkt_qdcount(pkt), 1);
  // The question is echoed as sent, case included.
  ldns_rdf* want_qname = ldns_dname_new_frm_str(c.name.c_str());
  char* want = ldns_rdf2str(want_qname);
  char* got = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(pkt), 0)));
  EXPECT_STREQ(got, want);
  free(got);
  free(want);
  ldns_rdf_deep_free(want_qname);
  EXPECT_EQ(Section(ldns_pkt_answer(pkt)), c.answer);
  const ldns_rr_list* auth = ldns_pkt_authority(pkt);
  if (c.soa_ttl < 0) {
    EXPECT_EQ(ldns_rr_list_rr_count(auth), 0u);
  } else {
    ASSERT_EQ(ldns_rr_list_rr_count(auth), 1u);
    EXPECT_EQ(ldns_rr_get_type(ldns_rr_list_rr(auth, 0)), LDNS_RR_TYPE_SOA);
    EXPECT_EQ(ldns_rr_ttl(ldns_rr_list_rr(auth, 0)), static_cast<uint32_t>(c.soa_ttl));
  }
}

TEST_F(DnsServerTest, AnswersOverUdpAndTcp) {
  for (const AnswerCase& c : kAnswerCases) {
    CheckAnswer(c, AskUdp(c.name, c.type).get(), 0x1234, "udp");
    CheckAnswer(c, AskTcp(c.name, c.type).get(), 0x4321, "tcp");
  }
}

TEST_F(DnsServerTest, CnameLoopStopsAfterSixteenHops) {
  PktPtr reply = AskUdp("loop1.selftest.test", LDNS_RR_TYPE_A);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(RcodeName(ldns_pkt_get_rcode(reply.get())), "NOERROR");
  EXPECT_EQ(ldns_pkt_ancount(reply.get()), 16);
}

TEST_F(DnsServerTest, OptRecordOnlyWhenQueried) {
  PktPtr with = AskUdp("www.selftest.test", LDNS_RR_TYPE_A, 1232);
  PktPtr without = AskUdp("www.selftest.test", LDNS_RR_TYPE_A, 0);
  ASSERT_NE(with, nullptr);
  ASSERT_NE(without, nullptr);
  EXPECT_TRUE(ldns_pkt_edns(with.get()));
  EXPECT_EQ(ldns_pkt_edns_udp_size(with.get()), 4096);
  EXPECT_FALSE(ldns_pkt_edns(without.get()));
}

TEST_F(DnsServerTest, BigAnswerTruncatedOverUdpOnly) {
  struct Case {
    const char* how;
    uint16_t edns;  // UINT16_MAX: ask over TCP
    bool want_tc;
    size_t want_answers;
  };
  const Case cases[] = {
      {"udp no edns", 0, true, 0},
      {"udp edns 1232", 1232, true, 0},
      {"udp edns 4096", 4096, false, 16},
      {"tcp", UINT16_MAX, false, 16},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.how);
    Wire raw;
    PktPtr reply = c.edns == UINT16_MAX
                       ? AskTcp("big.selftest.test", LDNS_RR_TYPE_TXT)
                       : AskUdp("big.selftest.test", LDNS_RR_TYPE_TXT, c.edns, &raw);
    ASSERT_NE(reply, nullptr);
    EXPECT_EQ(ldns_pkt_tc(reply.get()), c.want_tc);
    EXPECT_EQ(ldns_pkt_ancount(reply.get()), c.want_answers);
    if (c.want_tc) {
      EXPECT_LE(raw.size(), 512u);
    }
  }
}

TEST_F(DnsServerTest, TcpSeveralQueriesAndPartialReads) {
  TcpClient tcp(port());
  ASSERT_TRUE(tcp.connected());
  // Two queries in one segment.
  Wire q1 = MakeQuery("www.selftest.test", LDNS_RR_TYPE_A, 1);
  Wire q2 = MakeQuery("mail.selftest.test", LDNS_RR_TYPE_A, 2);
  Wire both = {static_cast<uint8_t>(q1.size() >> 8), static_cast<uint8_t>(q1.size())};
  both.insert(both.end(), q1.begin(), q1.end());
  both.push_back(static_cast<uint8_t>(q2.size() >> 8));
  both.push_back(static_cast<uint8_t>(q2.size()));
  both.insert(both.end(), q2.begin(), q2.end());
  ASSERT_TRUE(tcp.SendRaw(both));
  for (uint16_t want : {1, 2}) {
    auto reply = tcp.Receive(kReplyTimeout);
    ASSERT_TRUE(reply.has_value());
    PktPtr pkt = Parse(*reply);
    ASSERT_NE(pkt, nullptr);
    EXPECT_EQ(ldns_pkt_id(pkt.get()), want);
    EXPECT_EQ(ldns_pkt_ancount(pkt.get()), 1);
  }
  // One query dribbled in three pieces, split inside the length prefix.
  Wire q3 = MakeQuery("txt.selftest.test", LDNS_RR_TYPE_TXT, 3);
  Wire framed = {static_cast<uint8_t>(q3.size() >> 8), static_cast<uint8_t>(q3.size())};
  framed.insert(framed.end(), q3.begin(), q3.end());
  ASSERT_TRUE(tcp.SendRaw(Wire(framed.begin(), framed.begin() + 1)));
  std::this_thread::sleep_for(milliseconds(20));
  ASSERT_TRUE(tcp.SendRaw(Wire(framed.begin() + 1, framed.begin() + 10)));
  std::this_thread::sleep_for(milliseconds(20));
  ASSERT_TRUE(tcp.SendRaw(Wire(framed.begin() + 10, framed.end())));
  auto reply = tcp.Receive(kReplyTimeout);
  ASSERT_TRUE(reply.has_value());
  PktPtr pkt = Parse(*reply);
  ASSERT_NE(pkt, nullptr);
  EXPECT_EQ(ldns_pkt_id(pkt.get()), 3);
}

TEST_F(DnsServerTest, StalledTcpClientDoesNotBlockUdp) {
  TcpClient tcp(port());
  ASSERT_TRUE(tcp.connected());
  ASSERT_TRUE(tcp.SendRaw({0x00}));  // half a length prefix, then silence
  const auto got =
      UdpExchange(port(), MakeQuery("www.selftest.test", LDNS_RR_TYPE_A, 9), 1, milliseconds(500));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_LT(got[0].after.count(), 200);
}

TEST_F(DnsServerTest, RcodeFaults) {
  struct Case {
    const char* name;
    std::string want;
  };
  const Case cases[] = {
      {"servfail.f.selftest.test", "SERVFAIL"},
      {"a.b.SERVFAIL.F.selftest.test", "SERVFAIL"},  // below the suffix, any case
      {"refused.f.selftest.test", "REFUSED"},
      {"xservfail.f.selftest.test", "NOERROR"},  // not at a label boundary
      {"outside.example", "SERVFAIL"},           // outside every zone
      {"www.outside.example", "SERVFAIL"},
      {"xoutside.example", "REFUSED"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PktPtr udp = AskUdp(c.name, LDNS_RR_TYPE_A);
    PktPtr tcp = AskTcp(c.name, LDNS_RR_TYPE_A);
    ASSERT_NE(udp, nullptr);
    ASSERT_NE(tcp, nullptr);
    EXPECT_EQ(RcodeName(ldns_pkt_get_rcode(udp.get())), c.want);
    EXPECT_EQ(RcodeName(ldns_pkt_get_rcode(tcp.get())), c.want);
  }
}

TEST_F(DnsServerTest, DropNeverAnswers) {
  const auto udp =
      UdpExchange(port(), MakeQuery("drop.f.selftest.test", LDNS_RR_TYPE_A, 5), 1, kDropWindow);
  EXPECT_EQ(udp.size(), 0u);
  TcpClient tcp(port());
  ASSERT_TRUE(tcp.SendFramed(MakeQuery("x.drop.f.selftest.test", LDNS_RR_TYPE_A, 6)));
  EXPECT_FALSE(tcp.Receive(kDropWindow).has_value());
  EXPECT_FALSE(tcp.ClosedWithin(milliseconds(20)));  // kept open
}

TEST_F(DnsServerTest, TruncateOnlyOverUdp) {
  PktPtr udp = AskUdp("truncate.f.selftest.test", LDNS_RR_TYPE_A);
  PktPtr tcp = AskTcp("truncate.f.selftest.test", LDNS_RR_TYPE_A);
  ASSERT_NE(udp, nullptr);
  ASSERT_NE(tcp, nullptr);
  EXPECT_TRUE(ldns_pkt_tc(udp.get()));
  EXPECT_EQ(ldns_pkt_ancount(udp.get()), 0);
  EXPECT_FALSE(ldns_pkt_tc(tcp.get()));
  EXPECT_EQ(Section(ldns_pkt_answer(tcp.get())),
            std::vector<std::string>{"truncate.f.selftest.test. A 192.0.2.99"});
}

TEST_F(DnsServerTest, WrongIdThenCorrectReply) {
  const auto got = UdpExchange(port(), MakeQuery("wrong-id.f.selftest.test", LDNS_RR_TYPE_A, 77), 2,
                               kReplyTimeout);
  ASSERT_EQ(got.size(), 2u);
  PktPtr first = Parse(got[0].wire);
  PktPtr second = Parse(got[1].wire);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(ldns_pkt_id(first.get()), 77);
  EXPECT_EQ(ldns_pkt_id(second.get()), 77);
  EXPECT_EQ(ldns_pkt_ancount(second.get()), 1);
  EXPECT_GE((got[1].after - got[0].after).count(), 10);
}

TEST_F(DnsServerTest, WrongQuestionThenCorrectReply) {
  const auto got = UdpExchange(
      port(), MakeQuery("wrong-question.f.selftest.test", LDNS_RR_TYPE_A, 78), 2, kReplyTimeout);
  ASSERT_EQ(got.size(), 2u);
  PktPtr first = Parse(got[0].wire);
  PktPtr second = Parse(got[1].wire);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(ldns_pkt_id(first.get()), 78);
  EXPECT_NE(Str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(first.get()), 0))),
            "wrong-question.f.selftest.test.");
  EXPECT_EQ(Str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(second.get()), 0))),
            "wrong-question.f.selftest.test.");
  EXPECT_EQ(ldns_pkt_ancount(second.get()), 1);
}

TEST_F(DnsServerTest, CompressionLoopIsUnparsable) {
  Wire raw;
  PktPtr reply = AskUdp("loop.f.selftest.test", LDNS_RR_TYPE_A, 0, &raw);
  EXPECT_EQ(reply, nullptr);
  // Header, QNAME (22 bytes of wire name), QTYPE, QCLASS: the answer's
  // owner starts at 12 + 22 + 4 and points to itself.
  const size_t self = 12 + 22 + 4;
  ASSERT_GT(raw.size(), self + 1);
  EXPECT_EQ(raw[7], 1);  // ANCOUNT low byte
  EXPECT_EQ(raw[self], 0xC0 | (self >> 8));
  EXPECT_EQ(raw[self + 1], self & 0xFF);
}

TEST_F(DnsServerTest, ShortReplyIsSevenBytes) {
  const auto udp = UdpExchange(port(), MakeQuery("short.f.selftest.test", LDNS_RR_TYPE_A, 0x0A0B),
                               1, kReplyTimeout);
  ASSERT_EQ(udp.size(), 1u);
  EXPECT_EQ(udp[0].wire, (Wire{0x0A, 0x0B, 0x85, 0x00, 0x00, 0x01, 0x00}));
  TcpClient tcp(port());
  ASSERT_TRUE(tcp.SendFramed(MakeQuery("short.f.selftest.test", LDNS_RR_TYPE_A, 0x0A0B)));
  auto reply = tcp.Receive(kReplyTimeout);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->size(), 7u);
}

TEST_F(DnsServerTest, DelayDoesNotBlockOtherQueries) {
  std::vector<dns_test::Received> slow;
  std::thread waiter([&] {
    slow = UdpExchange(port(), MakeQuery("slow.f.selftest.test", LDNS_RR_TYPE_A, 11), 1,
                       kReplyTimeout);
  });
  std::this_thread::sleep_for(milliseconds(20));  // let the slow query go first
  const auto fast =
      UdpExchange(port(), MakeQuery("www.selftest.test", LDNS_RR_TYPE_A, 12), 1, kReplyTimeout);
  waiter.join();
  ASSERT_EQ(fast.size(), 1u);
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_LT(fast[0].after.count(), 100);
  EXPECT_GE(slow[0].after.count(), 150);
  PktPtr pkt = Parse(slow[0].wire);
  ASSERT_NE(pkt, nullptr);
  EXPECT_EQ(ldns_pkt_ancount(pkt.get()), 1);
}

TEST(DnsServerQueryLogTest, LogsEveryQuery) {
  std::string error;
  auto server =
      DnsServerProcess::Start({kDataDir + "/selftest.zone"}, {"drop.f.selftest.test=drop"}, &error);
  ASSERT_NE(server, nullptr) << error;
  EXPECT_EQ(server->address(), "127.0.0.1:" + std::to_string(server->port()));
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(UdpExchange(server->port(), MakeQuery("www.selftest.test", LDNS_RR_TYPE_A, 1), 1,
                          kReplyTimeout)
                  .size(),
              1u);
  }
  {
    TcpClient tcp(server->port());
    ASSERT_TRUE(tcp.SendFramed(MakeQuery("WWW.selftest.test", LDNS_RR_TYPE_A, 2)));
    ASSERT_TRUE(tcp.Receive(kReplyTimeout).has_value());
    ASSERT_TRUE(tcp.SendFramed(MakeQuery("selftest.test", LDNS_RR_TYPE_MX, 3)));
    ASSERT_TRUE(tcp.Receive(kReplyTimeout).has_value());
  }
  UdpExchange(server->port(), MakeQuery("drop.f.selftest.test", LDNS_RR_TYPE_TXT, 4), 1,
              milliseconds(50));
  // The server logs before it answers, and drop has no answer to wait for.
  std::vector<std::string> log;
  for (int i = 0; i < 100 && log.size() < 5; ++i) {
    log = server->QueryLog();
    if (log.size() < 5) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(log, (std::vector<std::string>{"udp www.selftest.test A", "udp www.selftest.test A",
                                           "tcp www.selftest.test A", "tcp selftest.test MX",
                                           "udp drop.f.selftest.test TXT"}));
  EXPECT_EQ(server->CountQueries("www.selftest.test", "A"), 3);
  EXPECT_EQ(server->CountQueries("WWW.Selftest.Test.", "a"), 3);
  EXPECT_EQ(server->CountQueries("selftest.test", "MX"), 1);
  EXPECT_EQ(server->CountQueries("www.selftest.test", "AAAA"), 0);
}

// Runs the binary directly: exit status and stderr of a bad invocation, or
// the first stdout line and the exit status after SIGTERM.
struct RunResult {
  int exit_code = -1;
  std::string first_line;
  std::string err;
};

RunResult RunServer(std::vector<std::string> args, bool terminate_when_listening) {
  RunResult result;
  args.insert(args.begin(), PORTCULLIS_TEST_DNS_SERVER_BIN);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  int err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) return result;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  close(err[1]);
  if (rc == 0) {
    char buf[512];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (result.first_line.find('\n') == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      pollfd pfd{out[0], POLLIN, 0};
      if (poll(&pfd, 1, 100) <= 0) continue;
      const ssize_t n = read(out[0], buf, sizeof(buf));
      if (n <= 0) break;
      result.first_line.append(buf, static_cast<size_t>(n));
    }
    // A server that listens although it should not have is stopped too.
    if (terminate_when_listening || !result.first_line.empty()) kill(pid, SIGTERM);
    for (ssize_t n; (n = read(err[0], buf, sizeof(buf))) > 0;) result.err.append(buf, n);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  close(out[0]);
  close(err[0]);
  return result;
}

TEST(DnsServerCliTest, BadInvocationsExitTwo) {
  const std::string bad_zone = ::testing::TempDir() + "/dns_server_bad.zone";
  {
    std::ofstream f(bad_zone);
    f << "$ORIGIN bad.test.\n$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\nwww IN A 999.1.1.1\n";
  }
  const std::string zone = kDataDir + "/selftest.zone";
  struct Case {
    std::vector<std::string> args;
    std::string want_err;
  };
  const std::vector<Case> cases = {
      {{}, "--listen is required"},
      {{"--listen", "127.0.0.1:0"}, "at least one --zone"},
      {{"--listen", "localhost:0", "--zone", zone}, "bad address"},
      {{"--listen", "127.0.0.1:99999", "--zone", zone}, "bad port"},
      {{"--listen", "127.0.0.1:0", "--zone", zone, "--frobnicate", "1"}, "unknown option"},
      {{"--listen", "127.0.0.1:0", "--zone", zone, "--fault", "x.test=bogus"}, "unknown mode"},
      {{"--listen", "127.0.0.1:0", "--zone", zone, "--fault", "x.test=delay-abc"}, "delay-MS"},
      {{"--listen", "127.0.0.1:0", "--zone", zone, "--udp-max", "5"}, "--udp-max"},
      {{"--listen", "127.0.0.1:0", "--zone", "/nonexistent.zone"}, "cannot open"},
      {{"--listen", "127.0.0.1:0", "--zone", bad_zone}, bad_zone + ":4:"},
      {{"--listen", "127.0.0.1:0", "--zone", zone, "--zone", zone}, "already loaded"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.args));
    const RunResult r = RunServer(c.args, false);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(c.want_err), std::string::npos) << "stderr: " << r.err;
    EXPECT_EQ(r.first_line, "");
  }
  std::string error;
  EXPECT_EQ(DnsServerProcess::Start({bad_zone}, {}, &error), nullptr);
  EXPECT_NE(error.find(bad_zone + ":4:"), std::string::npos) << error;
  unlink(bad_zone.c_str());
}

TEST(DnsServerCliTest, ListensAndExitsZeroOnSigterm) {
  const std::string zone = kDataDir + "/selftest.zone";
  const RunResult r4 = RunServer({"--listen", "127.0.0.1:0", "--zone", zone}, true);
  EXPECT_TRUE(r4.first_line.starts_with("listening on 127.0.0.1:")) << r4.first_line;
  EXPECT_EQ(r4.exit_code, 0) << r4.err;
  const RunResult r6 = RunServer({"--listen", "[::1]:0", "--zone", zone}, true);
  if (r6.err.find("Cannot assign requested address") != std::string::npos) {
    GTEST_SKIP() << "no IPv6 loopback here: " << r6.err;
  }
  EXPECT_TRUE(r6.first_line.starts_with("listening on [::1]:")) << r6.first_line << r6.err;
  EXPECT_EQ(r6.exit_code, 0) << r6.err;
}

}  // namespace
}  // namespace portcullis::testing
