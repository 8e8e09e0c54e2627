#include "dns/dns_response_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dns/dns_name_syntax.h"
#include "dns/dns_query_packet.h"
#include "dns_test_util.h"

namespace portcullis::dns {
namespace {

using testing::BuildResponse;
using testing::ResponseSpec;
using testing::Summary;

struct Reading {
  std::string summary;  // "ok ..." / "requery NAME" / "next SERVFAIL"
  uint32_t ttl = 0;
  bool cacheable = false;
  CnameChain chain;
};

Reading Read(const ResponseSpec& spec, RecordType type, const CnameChain& chain = {}) {
  std::vector<uint8_t> wire = BuildResponse(spec);
  QueryIdentity identity;
  identity.id = spec.id;
  std::string qname = spec.qname;
  if (!qname.empty() && qname.back() == '.') qname.pop_back();
  identity.qname_wire = NameToWire(qname);
  identity.type = type;
  PacketPtr packet;
  Reading out;
  if (CheckResponse(wire.data(), wire.size(), identity, &packet) != ResponseCheck::kAccepted) {
    out.summary = "not accepted";
    return out;
  }
  ResponseReading reading = ReadResponse(packet.get(), qname, type, chain);
  switch (reading.next) {
    case ResponseReading::Next::kAnswer:
      out.summary = Summary(std::make_shared<Answer>(reading.answer));
      break;
    case ResponseReading::Next::kRequery: out.summary = "requery " + reading.requery_name; break;
    case ResponseReading::Next::kNextServer: out.summary = "next " + reading.error; break;
  }
  out.ttl = reading.answer.ttl;
  out.cacheable = reading.cacheable;
  out.chain = reading.chain;
  return out;
}

ResponseSpec Spec(const std::string& qname, ldns_rr_type qtype,
                  std::vector<std::string> answer = {}, std::vector<std::string> authority = {},
                  ldns_pkt_rcode rcode = LDNS_RCODE_NOERROR) {
  ResponseSpec spec;
  spec.qname = qname + ".";
  spec.qtype = qtype;
  spec.answer = std::move(answer);
  spec.authority = std::move(authority);
  spec.rcode = rcode;
  return spec;
}

const char kSoa[] =
    "example.test. 600 IN SOA ns.example.test. h.example.test. 1 3600 600 86400 120";

TEST(DnsResponseReader, Answers) {
  struct Case {
    std::string what;
    ResponseSpec spec;
    RecordType type;
    std::string want;
    uint32_t want_ttl;
    bool want_cacheable;
  } cases[] = {
      {"A, lowest TTL of the RRset",
       Spec("a.example.test", LDNS_RR_TYPE_A,
            {"a.example.test. 300 IN A 192.0.2.1", "A.example.test. 100 IN A 192.0.2.2"}),
       RecordType::kA, "ok 192.0.2.1,192.0.2.2", 100, true},
      {"AAAA",
       Spec("a.example.test", LDNS_RR_TYPE_AAAA, {"a.example.test. 60 IN AAAA 2001:db8::1"}),
       RecordType::kAaaa, "ok 2001:db8::1", 60, true},
      {"TXT strings joined with nothing, one entry per record",
       Spec("t.example.test", LDNS_RR_TYPE_TXT,
            {"t.example.test. 300 IN TXT \"v=spf1 \" \"a\" \" -all\"",
             "t.example.test. 300 IN TXT \"\""}),
       RecordType::kTxt, "ok \"v=spf1 a -all\",\"\"", 300, true},
      {"MX, names lower-cased, null MX",
       Spec("m.example.test", LDNS_RR_TYPE_MX,
            {"m.example.test. 300 IN MX 10 MX1.Example.TEST.", "m.example.test. 300 IN MX 0 ."}),
       RecordType::kMx, "ok 10:mx1.example.test,0:", 300, true},
      {"PTR",
       Spec("1.2.0.192.in-addr.arpa", LDNS_RR_TYPE_PTR,
            {"1.2.0.192.in-addr.arpa. 300 IN PTR Host.Example.Test."}),
       RecordType::kPtr, "ok host.example.test", 300, true},
      {"CNAME asked: the CNAME itself, not followed",
       Spec("c.example.test", LDNS_RR_TYPE_CNAME, {"c.example.test. 300 IN CNAME d.example.test."}),
       RecordType::kCname, "ok d.example.test", 300, true},
      {"records of other owners and types are ignored",
       Spec("a.example.test", LDNS_RR_TYPE_A,
            {"b.example.test. 300 IN A 192.0.2.9", "a.example.test. 300 IN TXT \"x\"",
             "a.example.test. 300 IN A 192.0.2.1"}),
       RecordType::kA, "ok 192.0.2.1", 300, true},
      {"TTL with the top bit set counts as 0 (RFC 2181 8)",
       Spec("a.example.test", LDNS_RR_TYPE_A, {"a.example.test. 2147483648 IN A 192.0.2.1"}),
       RecordType::kA, "ok 192.0.2.1", 0, true},
  };
  for (const Case& c : cases) {
    Reading got = Read(c.spec, c.type);
    EXPECT_EQ(got.summary, c.want) << c.what;
    EXPECT_EQ(got.ttl, c.want_ttl) << c.what;
    EXPECT_EQ(got.cacheable, c.want_cacheable) << c.what;
  }
}

TEST(DnsResponseReader, CnameChains) {
  struct Case {
    std::string what;
    ResponseSpec spec;
    std::string want;
    uint32_t want_ttl;
    int want_hops;
  } cases[] = {
      {"three hops, TTL the lowest of chain and RRset",
       Spec("c1.example.test", LDNS_RR_TYPE_A,
            {"c1.example.test. 300 IN CNAME c2.example.test.",
             "c2.example.test. 60 IN CNAME C3.example.test.",
             "c3.example.test. 300 IN CNAME end.example.test.",
             "end.example.test. 120 IN A 192.0.2.9"}),
       "ok 192.0.2.9", 60, 3},
      {"chain records in any order",
       Spec("c1.example.test", LDNS_RR_TYPE_A,
            {"end.example.test. 120 IN A 192.0.2.9",
             "c2.example.test. 300 IN CNAME end.example.test.",
             "c1.example.test. 300 IN CNAME c2.example.test."}),
       "ok 192.0.2.9", 120, 2},
      {"chain ends without data and without SOA: ask the target",
       Spec("c1.example.test", LDNS_RR_TYPE_A,
            {"c1.example.test. 300 IN CNAME www.elsewhere.test."}),
       "requery www.elsewhere.test", 0, 1},
      {"chain ends in NODATA with SOA",
       Spec("c1.example.test", LDNS_RR_TYPE_A, {"c1.example.test. 30 IN CNAME d.example.test."},
            {kSoa}),
       "nodata", 30, 1},
      {"chain ends in NXDOMAIN (RFC 6604: the RCODE is the target's)",
       Spec("c1.example.test", LDNS_RR_TYPE_A, {"c1.example.test. 300 IN CNAME d.example.test."},
            {kSoa}, LDNS_RCODE_NXDOMAIN),
       "nxdomain", 120, 1},
      {"loop",
       Spec("l1.example.test", LDNS_RR_TYPE_A,
            {"l1.example.test. 300 IN CNAME l2.example.test.",
             "l2.example.test. 300 IN CNAME L1.example.test."}),
       "temperror CNAME loop", 0, 1},
      {"self loop",
       Spec("l1.example.test", LDNS_RR_TYPE_A, {"l1.example.test. 300 IN CNAME l1.example.test."}),
       "temperror CNAME loop", 0, 0},
  };
  for (const Case& c : cases) {
    Reading got = Read(c.spec, RecordType::kA);
    EXPECT_EQ(got.summary, c.want) << c.what;
    if (got.summary.rfind("requery", 0) == 0) {
      EXPECT_EQ(got.chain.ttl, 300u) << c.what;
    } else {
      EXPECT_EQ(got.ttl, c.want_ttl) << c.what;
    }
    EXPECT_EQ(got.chain.hops, c.want_hops) << c.what;
  }
}

TEST(DnsResponseReader, CnameHopBudgetSpansRequeries) {
  // Nine hops in one response: over kMaxCnameHops.
  std::vector<std::string> records;
  for (int i = 0; i < 9; ++i) {
    records.push_back("h" + std::to_string(i) + ".example.test. 300 IN CNAME h" +
                      std::to_string(i + 1) + ".example.test.");
  }
  records.push_back("h9.example.test. 300 IN A 192.0.2.1");
  EXPECT_EQ(Read(Spec("h0.example.test", LDNS_RR_TYPE_A, records), RecordType::kA).summary,
            "temperror CNAME chain too long");
  // Eight hops are fine.
  records.erase(records.begin());
  EXPECT_EQ(Read(Spec("h1.example.test", LDNS_RR_TYPE_A, records), RecordType::kA).summary,
            "ok 192.0.2.1");
  // A re-query continues the chain it came from: 7 hops used, 2 more fail.
  CnameChain chain;
  chain.hops = 7;
  chain.ttl = 50;
  chain.names = {"x0.example.test", "h7.example.test"};
  Reading got = Read(Spec("h7.example.test", LDNS_RR_TYPE_A, records), RecordType::kA, chain);
  EXPECT_EQ(got.summary, "temperror CNAME chain too long");
  // ... and a loop back to a name seen before the re-query is a loop.
  chain.hops = 1;
  chain.names = {"h8.example.test", "h7.example.test"};
  got = Read(Spec("h7.example.test", LDNS_RR_TYPE_A, records), RecordType::kA, chain);
  EXPECT_EQ(got.summary, "temperror CNAME loop");
  // The TTL carried from before the re-query still counts.
  chain.names = {"x0.example.test", "h8.example.test"};
  got = Read(Spec("h8.example.test", LDNS_RR_TYPE_A,
                  {"h8.example.test. 300 IN CNAME h9.example.test.",
                   "h9.example.test. 300 IN A 192.0.2.1"}),
             RecordType::kA, chain);
  EXPECT_EQ(got.summary, "ok 192.0.2.1");
  EXPECT_EQ(got.ttl, 50u);
}

TEST(DnsResponseReader, NegativeAnswersAndRcodes) {
  const std::string low_minimum =
      "example.test. 600 IN SOA ns.example.test. h.example.test. 1 3600 600 86400 2";
  const std::string low_ttl =
      "example.test. 5 IN SOA ns.example.test. h.example.test. 1 3600 600 86400 900";
  struct Case {
    std::string what;
    ResponseSpec spec;
    std::string want;
    uint32_t want_ttl;
    bool want_cacheable;
  } cases[] = {
      {"NXDOMAIN: TTL = SOA MINIMUM when lower (RFC 2308 5)",
       Spec("x.example.test", LDNS_RR_TYPE_A, {}, {low_minimum}, LDNS_RCODE_NXDOMAIN), "nxdomain",
       2, true},
      {"NXDOMAIN: TTL = SOA TTL when lower",
       Spec("x.example.test", LDNS_RR_TYPE_A, {}, {low_ttl}, LDNS_RCODE_NXDOMAIN), "nxdomain", 5,
       true},
      {"NXDOMAIN without SOA: not cacheable",
       Spec("x.example.test", LDNS_RR_TYPE_A, {}, {}, LDNS_RCODE_NXDOMAIN), "nxdomain", 0, false},
      {"NODATA with SOA", Spec("x.example.test", LDNS_RR_TYPE_MX, {}, {kSoa}), "nodata", 120, true},
      {"NODATA without SOA: not cacheable", Spec("x.example.test", LDNS_RR_TYPE_MX), "nodata", 0,
       false},
      {"SERVFAIL: next server", Spec("x.example.test", LDNS_RR_TYPE_A, {}, {}, LDNS_RCODE_SERVFAIL),
       "next SERVFAIL", 0, false},
      {"REFUSED: next server", Spec("x.example.test", LDNS_RR_TYPE_A, {}, {}, LDNS_RCODE_REFUSED),
       "next REFUSED", 0, false},
      {"FORMERR: next server", Spec("x.example.test", LDNS_RR_TYPE_A, {}, {}, LDNS_RCODE_FORMERR),
       "next FORMERR", 0, false},
      {"NXDOMAIN with data for the name: contradictory",
       Spec("x.example.test", LDNS_RR_TYPE_A, {"x.example.test. 300 IN A 192.0.2.1"}, {kSoa},
            LDNS_RCODE_NXDOMAIN),
       "next malformed answer", 0, false},
  };
  for (const Case& c : cases) {
    Reading got = Read(c.spec, c.spec.qtype == LDNS_RR_TYPE_MX ? RecordType::kMx : RecordType::kA);
    EXPECT_EQ(got.summary, c.want) << c.what;
    if (c.want_cacheable) {
      EXPECT_EQ(got.ttl, c.want_ttl) << c.what;
    }
    EXPECT_EQ(got.cacheable, c.want_cacheable) << c.what;
  }
}

}  // namespace
}  // namespace portcullis::dns
