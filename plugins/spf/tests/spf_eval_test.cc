// check_host() against zone data, case by case from RFC 7208 sections 2-6
// and Appendix A. Every case runs twice: answers inline (a warm resolver
// cache) and from another thread (the resolver's loop).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spf_test_support.h"

namespace portcullis::spf {
namespace {

using testing::Evaluate;
using testing::LoadZone;
using testing::Rr;
using testing::Zone;

// RFC 7208 Appendix A's zone data.
Zone AppendixA() {
  return {
      {"MX", "example.com", "10 mx-a.example.com"},
      {"MX", "example.com", "20 mx-b.example.com"},
      {"A", "example.com", "192.0.2.10"},
      {"A", "amy.example.com", "192.0.2.65"},
      {"A", "bob.example.com", "192.0.2.66"},
      {"A", "mx-a.example.com", "192.0.2.129"},
      {"A", "mx-b.example.com", "192.0.2.130"},
      {"MX", "example.org", "10 mx.example.org"},
      {"A", "mx.example.org", "192.0.2.140"},
      {"PTR", "10.2.0.192.in-addr.arpa", "example.com"},
      {"PTR", "65.2.0.192.in-addr.arpa", "amy.example.com"},
      {"PTR", "66.2.0.192.in-addr.arpa", "bob.example.com"},
      {"PTR", "129.2.0.192.in-addr.arpa", "mx-a.example.com"},
      {"PTR", "130.2.0.192.in-addr.arpa", "mx-b.example.com"},
      {"PTR", "140.2.0.192.in-addr.arpa", "mx.example.org"},
      {"PTR", "131.2.0.192.in-addr.arpa", "mx-b.example.com"},  // not validated
  };
}

struct Case {
  const char* name;
  Zone zone;
  const char* ip;
  const char* sender;  // "" = the HELO identity
  SpfResult want;
  const char* want_explanation = "";
  const char* want_reason = "";  // substring, when it matters
  const char* helo = "mail.example.net";
};

// Appendix A.1, each record tried with the hosts the RFC names.
std::vector<Case> AppendixACases() {
  auto with = [](const char* record) {
    Zone zone = AppendixA();
    zone.push_back({"TXT", "example.com", record});
    return zone;
  };
  const SpfResult pass = SpfResult::kPass;
  const SpfResult fail = SpfResult::kFail;
  return {
      {"A.1 +all", with("v=spf1 +all"), "198.51.100.7", "u@example.com", pass},
      {"A.1 a matches", with("v=spf1 a -all"), "192.0.2.10", "u@example.com", pass},
      {"A.1 a no match", with("v=spf1 a -all"), "192.0.2.11", "u@example.com", fail},
      {"A.1 a:example.org has no A", with("v=spf1 a:example.org -all"), "192.0.2.140",
       "u@example.com", fail},
      {"A.1 mx first", with("v=spf1 mx -all"), "192.0.2.129", "u@example.com", pass},
      {"A.1 mx second", with("v=spf1 mx -all"), "192.0.2.130", "u@example.com", pass},
      {"A.1 mx other", with("v=spf1 mx -all"), "192.0.2.10", "u@example.com", fail},
      {"A.1 mx:example.org", with("v=spf1 mx:example.org -all"), "192.0.2.140", "u@example.com",
       pass},
      {"A.1 mx mx:example.org (a)", with("v=spf1 mx mx:example.org -all"), "192.0.2.130",
       "u@example.com", pass},
      {"A.1 mx mx:example.org (b)", with("v=spf1 mx mx:example.org -all"), "192.0.2.140",
       "u@example.com", pass},
      {"A.1 mx/30 in range", with("v=spf1 mx/30 mx:example.org/30 -all"), "192.0.2.131",
       "u@example.com", pass},
      {"A.1 mx:example.org/30", with("v=spf1 mx/30 mx:example.org/30 -all"), "192.0.2.143",
       "u@example.com", pass},
      {"A.1 mx/30 out of range", with("v=spf1 mx/30 mx:example.org/30 -all"), "192.0.2.132",
       "u@example.com", fail},
      {"A.1 ptr amy", with("v=spf1 ptr -all"), "192.0.2.65", "u@example.com", pass},
      {"A.1 ptr example.com itself", with("v=spf1 ptr -all"), "192.0.2.10", "u@example.com", pass},
      {"A.1 ptr mx.example.org is not under example.com", with("v=spf1 ptr -all"), "192.0.2.140",
       "u@example.com", fail},
      {"A.1 ptr name that does not point back", with("v=spf1 ptr -all"), "192.0.2.131",
       "u@example.com", fail},
      {"A.1 ptr no PTR at all", with("v=spf1 ptr -all"), "192.0.2.200", "u@example.com", fail},
      {"A.1 ip4/28 in", with("v=spf1 ip4:192.0.2.128/28 -all"), "192.0.2.143", "u@example.com",
       pass},
      {"A.1 ip4/28 out", with("v=spf1 ip4:192.0.2.128/28 -all"), "192.0.2.65", "u@example.com",
       fail},
  };
}

std::vector<Case> Cases() {
  std::vector<Case> cases = AppendixACases();
  const SpfResult none = SpfResult::kNone;
  const SpfResult neutral = SpfResult::kNeutral;
  const SpfResult pass = SpfResult::kPass;
  const SpfResult fail = SpfResult::kFail;
  const SpfResult softfail = SpfResult::kSoftfail;
  const SpfResult temperror = SpfResult::kTemperror;
  const SpfResult permerror = SpfResult::kPermerror;
  std::vector<Case> more = {
      // 4.3 initial processing and 4.4/4.5 record lookup and selection.
      {"no record: NXDOMAIN", {}, "192.0.2.1", "u@example.com", none},
      {"no record: only other TXT",
       {{"TXT", "example.com", "hello"}},
       "192.0.2.1",
       "u@example.com",
       none},
      {"no record: NODATA",
       {{"A", "example.com", "192.0.2.1"}},
       "192.0.2.1",
       "u@example.com",
       none},
      {"v=spf10 is not v=spf1",
       {{"TXT", "example.com", "v=spf10 +all"}},
       "192.0.2.1",
       "u@example.com",
       none},
      {"two records",
       {{"TXT", "example.com", "v=spf1 +all"}, {"TXT", "example.com", "v=spf1 -all"}},
       "192.0.2.1",
       "u@example.com",
       permerror,
       "",
       "more than one SPF record"},
      {"empty record is neutral",
       {{"TXT", "example.com", "v=spf1"}},
       "192.0.2.1",
       "u@example.com",
       neutral,
       "",
       "no mechanism matched"},
      {"version in upper case",
       {{"TXT", "example.com", "V=SPF1 -ALL"}},
       "192.0.2.1",
       "u@example.com",
       fail},
      {"TXT temperror",
       {{"TEMPFAIL", "example.com", "TXT"}},
       "192.0.2.1",
       "u@example.com",
       temperror,
       "",
       "DNS error for TXT example.com"},
      {"TXT SERVFAIL",
       {{"SERVFAIL", "example.com", "TXT"}},
       "192.0.2.1",
       "u@example.com",
       temperror,
       "",
       "SERVFAIL"},
      {"single-label domain",
       {{"TXT", "example", "v=spf1 -all"}},
       "192.0.2.1",
       "u@example",
       none,
       "",
       "not a valid domain"},
      {"label over 63",
       {},
       "192.0.2.1",
       "u@a234567890123456789012345678901234567890123456789012345678901234.com",
       none,
       "",
       "not a valid domain"},
      {"empty label", {}, "192.0.2.1", "u@mail..example.com", none},
      {"address literal sender", {}, "192.0.2.1", "u@[192.0.2.1]", none},
      {"trailing dot is fine",
       {{"TXT", "example.com", "v=spf1 -all"}},
       "192.0.2.1",
       "u@example.com.",
       fail},
      {"syntax error anywhere is permerror",
       {{"TXT", "example.com", "v=spf1 +all moo"}},
       "192.0.2.1",
       "u@example.com",
       permerror,
       "",
       "unknown mechanism"},
      {"unknown modifier ignored",
       {{"TXT", "example.com", "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all"}},
       "1.2.3.4",
       "u@example.com",
       pass},
      {"default result neutral",
       {{"TXT", "example.com", "v=spf1 ip4:1.2.3.4"}},
       "1.2.3.5",
       "u@example.com",
       neutral},

      // 4.6.2 qualifiers and 5.1 all.
      {"+all", {{"TXT", "example.com", "v=spf1 +all"}}, "192.0.2.1", "u@example.com", pass},
      {"-all", {{"TXT", "example.com", "v=spf1 -all"}}, "192.0.2.1", "u@example.com", fail},
      {"~all", {{"TXT", "example.com", "v=spf1 ~all"}}, "192.0.2.1", "u@example.com", softfail},
      {"?all", {{"TXT", "example.com", "v=spf1 ?all"}}, "192.0.2.1", "u@example.com", neutral},
      {"first match wins",
       {{"TXT", "example.com", "v=spf1 ?ip4:192.0.2.1 -all +all"}},
       "192.0.2.1",
       "u@example.com",
       neutral,
       "",
       "?ip4:192.0.2.1 matched"},

      // 5.6 ip4 / ip6.
      {"ip4 /0 matches every IPv4",
       {{"TXT", "example.com", "v=spf1 ip4:0.0.0.0/0 -all"}},
       "203.0.113.9",
       "u@example.com",
       pass},
      {"ip4 never matches IPv6",
       {{"TXT", "example.com", "v=spf1 ip4:0.0.0.0/0 -all"}},
       "2001:db8::1",
       "u@example.com",
       fail},
      {"ip6 never matches IPv4",
       {{"TXT", "example.com", "v=spf1 ip6:::/0 -all"}},
       "192.0.2.1",
       "u@example.com",
       fail},
      {"ip6 /64",
       {{"TXT", "example.com", "v=spf1 ip6:2001:db8:1:2::/64 -all"}},
       "2001:db8:1:2:ffff::9",
       "u@example.com",
       pass},
      {"ip6 /64 other net",
       {{"TXT", "example.com", "v=spf1 ip6:2001:db8:1:2::/64 -all"}},
       "2001:db8:1:3::9",
       "u@example.com",
       fail},
      {"ip6 /128 default",
       {{"TXT", "example.com", "v=spf1 ip6:2001:db8::1 -all"}},
       "2001:db8::2",
       "u@example.com",
       fail},
      {"ip4 host bits ignored",
       {{"TXT", "example.com", "v=spf1 ip4:192.0.2.77/24 -all"}},
       "192.0.2.1",
       "u@example.com",
       pass},
      {"ip4 /31 boundary",
       {{"TXT", "example.com", "v=spf1 ip4:192.0.2.2/31 -all"}},
       "192.0.2.4",
       "u@example.com",
       fail},
      // 5 / 5.6: an IPv4-mapped IPv6 client is an IPv4 client.
      {"IPv4-mapped client matches ip4",
       {{"TXT", "example.com", "v=spf1 ip4:192.0.2.10 -all"}},
       "::ffff:192.0.2.10",
       "u@example.com",
       pass},
      {"IPv4-mapped client: a looks up A",
       {{"TXT", "example.com", "v=spf1 a -all"},
        {"A", "example.com", "192.0.2.10"},
        {"AAAA", "example.com", "::ffff:192.0.2.10"}},
       "::ffff:192.0.2.10",
       "u@example.com",
       pass},

      // 5.3 a, IPv6 and dual CIDR lengths.
      {"a for IPv6 looks up AAAA",
       {{"TXT", "example.com", "v=spf1 a -all"},
        {"A", "example.com", "192.0.2.10"},
        {"AAAA", "example.com", "2001:db8::10"}},
       "2001:db8::10",
       "u@example.com",
       pass},
      {"a//64 for IPv6",
       {{"TXT", "example.com", "v=spf1 a/24//64 -all"},
        {"AAAA", "example.com", "2001:db8:0:1::10"}},
       "2001:db8:0:1:abcd::1",
       "u@example.com",
       pass},
      {"a//64 misses another /64",
       {{"TXT", "example.com", "v=spf1 a/24//64 -all"},
        {"AAAA", "example.com", "2001:db8:0:1::10"}},
       "2001:db8:0:2::1",
       "u@example.com",
       fail},
      {"a/24 for IPv4 with dual length",
       {{"TXT", "example.com", "v=spf1 a/24//64 -all"}, {"A", "example.com", "192.0.2.10"}},
       "192.0.2.200",
       "u@example.com",
       pass},
      {"a/0 matches any address when a record exists",
       {{"TXT", "example.com", "v=spf1 a:other.example.com/0 -all"},
        {"A", "other.example.com", "10.0.0.1"}},
       "203.0.113.1",
       "u@example.com",
       pass},
      {"a temperror",
       {{"TXT", "example.com", "v=spf1 a -all"}, {"TEMPFAIL", "example.com", "A"}},
       "192.0.2.1",
       "u@example.com",
       temperror},
      {"a target with a 64-char label does not match",
       {{"TXT", "example.com", "v=spf1 a:%{l}.example.com -all"}},
       "192.0.2.1",
       "a234567890123456789012345678901234567890123456789012345678901234@example.com",
       fail},
      {"mx//64 for IPv6",
       {{"TXT", "example.com", "v=spf1 mx//64 -all"},
        {"MX", "example.com", "10 mx.example.com"},
        {"AAAA", "mx.example.com", "2001:db8:5::1"}},
       "2001:db8:5::99",
       "u@example.com",
       pass},
      {"mx: IPv6 client does not use A records",
       {{"TXT", "example.com", "v=spf1 mx -all"},
        {"MX", "example.com", "10 mx.example.com"},
        {"A", "mx.example.com", "192.0.2.1"}},
       "2001:db8::1",
       "u@example.com",
       fail},
      {"mx: no implicit MX (5.4)",
       {{"TXT", "example.com", "v=spf1 mx -all"}, {"A", "example.com", "192.0.2.1"}},
       "192.0.2.1",
       "u@example.com",
       fail},
      {"mx: null MX",
       {{"TXT", "example.com", "v=spf1 mx -all"}, {"MX", "example.com", "0 "}},
       "192.0.2.1",
       "u@example.com",
       fail},
      {"mx: exchange temperror",
       {{"TXT", "example.com", "v=spf1 mx -all"},
        {"MX", "example.com", "10 mx.example.com"},
        {"TEMPFAIL", "mx.example.com", "A"}},
       "192.0.2.1",
       "u@example.com",
       temperror},
      {"mx: MX temperror",
       {{"TXT", "example.com", "v=spf1 mx -all"}, {"TEMPFAIL", "example.com", "MX"}},
       "192.0.2.1",
       "u@example.com",
       temperror},

      // 5.5 ptr: DNS errors on the PTR query just do not match.
      {"ptr: PTR temperror is no match",
       {{"TXT", "example.com", "v=spf1 ptr ?all"}, {"TEMPFAIL", "1.2.0.192.in-addr.arpa", "PTR"}},
       "192.0.2.1",
       "u@example.com",
       neutral},
      {"ptr: A temperror skips that name",
       {{"TXT", "example.com", "v=spf1 ptr -all"},
        {"PTR", "1.2.0.192.in-addr.arpa", "bad.example.com"},
        {"PTR", "1.2.0.192.in-addr.arpa", "good.example.com"},
        {"TEMPFAIL", "bad.example.com", "A"},
        {"A", "good.example.com", "192.0.2.1"}},
       "192.0.2.1",
       "u@example.com",
       pass},
      {"ptr:target for IPv6",
       {{"TXT", "example.com", "v=spf1 ptr:example.org -all"},
        {"PTR", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
         "host.example.org"},
        {"AAAA", "host.example.org", "2001:db8::1"}},
       "2001:db8::1",
       "u@example.com",
       pass},

      // 5.7 exists: always an A query.
      {"exists matches",
       {{"TXT", "example.com", "v=spf1 exists:%{ir}.%{v}.bl.example.org -all"},
        {"A", "1.2.0.192.in-addr.bl.example.org", "127.0.0.2"}},
       "192.0.2.1",
       "u@example.com",
       pass},
      {"exists for IPv6 still asks A",
       {{"TXT", "example.com", "v=spf1 exists:%{d}.ok.example.org -all"},
        {"A", "example.com.ok.example.org", "127.0.0.2"}},
       "2001:db8::1",
       "u@example.com",
       pass},
      {"exists no record",
       {{"TXT", "example.com", "v=spf1 exists:nothing.example.org -all"}},
       "192.0.2.1",
       "u@example.com",
       fail},
      {"exists temperror",
       {{"TXT", "example.com", "v=spf1 exists:x.example.org -all"},
        {"TEMPFAIL", "x.example.org", "A"}},
       "192.0.2.1",
       "u@example.com",
       temperror},

      // 5.2 include: the result table.
      {"include pass matches",
       {{"TXT", "example.com", "v=spf1 include:inc.example.org -all"},
        {"TXT", "inc.example.org", "v=spf1 ip4:192.0.2.1 -all"}},
       "192.0.2.1",
       "u@example.com",
       pass,
       "",
       "include:inc.example.org matched"},
      {"include fail does not match",
       {{"TXT", "example.com", "v=spf1 include:inc.example.org ~all"},
        {"TXT", "inc.example.org", "v=spf1 -all"}},
       "192.0.2.1",
       "u@example.com",
       softfail},
      {"include softfail does not match",
       {{"TXT", "example.com", "v=spf1 include:inc.example.org ?all"},
        {"TXT", "inc.example.org", "v=spf1 ~all"}},
       "192.0.2.1",
       "u@example.com",
       neutral},
      {"include neutral does not match",
       {{"TXT", "example.com", "v=spf1 include:inc.example.org -all"},
        {"TXT", "inc.example.org", "v=spf1 ?all"}},
       "192.0.2.1",
       "u@example.com",
       fail},
      {"-include pass gives fail",
       {{"TXT", "example.com", "v=spf1 -include:inc.example.org +all"},
        {"TXT", "inc.example.org", "v=spf1 +all"}},
       "192.0.2.1",
       "u@example.com",
       fail},
      {"include of none is permerror",
       {{"TXT", "example.com", "v=spf1 include:none.example.org +all"}},
       "192.0.2.1",
       "u@example.com",
       permerror,
       "",
       "include target"},
      {"include of a domain without SPF TXT is permerror",
       {{"TXT", "example.com", "v=spf1 include:inc.example.org +all"},
        {"TXT", "inc.example.org", "not spf"}},
       "192.0.2.1",
       "u@example.com",
       permerror},
      {"include of permerror is permerror",
       {{"TXT", "example.com", "v=spf1 include:inc.example.org +all"},
        {"TXT", "inc.example.org", "v=spf1 bogus"}},
       "192.0.2.1",
       "u@example.com",
       permerror},
      {"include of temperror is temperror",
       {{"TXT", "example.com", "v=spf1 include:inc.example.org +all"},
        {"TEMPFAIL", "inc.example.org", "TXT"}},
       "192.0.2.1",
       "u@example.com",
       temperror},
      {"include to an invalid name is permerror",
       {{"TXT", "example.com", "v=spf1 include:%{l}.example.org +all"}},
       "192.0.2.1",
       "a234567890123456789012345678901234567890123456789012345678901234@example.com",
       permerror},
      {"%{d} inside an include is the included domain",
       {{"TXT", "example.com", "v=spf1 include:inc.example.org -all"},
        {"TXT", "inc.example.org", "v=spf1 exists:%{d}.check.example.net -all"},
        {"A", "inc.example.org.check.example.net", "127.0.0.1"}},
       "192.0.2.1",
       "u@example.com",
       pass},
      // Appendix A.5: both conditions through includes.
      {"A.5 both conditions hold",
       [] {
         Zone zone = AppendixA();
         zone.push_back(
             {"TXT", "example.com", "v=spf1 -include:ip4._spf.%{d} -include:ptr._spf.%{d} +all"});
         zone.push_back({"TXT", "ip4._spf.example.com", "v=spf1 -ip4:192.0.2.0/24 +all"});
         zone.push_back({"TXT", "ptr._spf.example.com", "v=spf1 -ptr:example.com +all"});
         return zone;
       }(),
       "192.0.2.65", "u@example.com", pass},
      {"A.5 outside the network",
       [] {
         Zone zone = AppendixA();
         zone.push_back(
             {"TXT", "example.com", "v=spf1 -include:ip4._spf.%{d} -include:ptr._spf.%{d} +all"});
         zone.push_back({"TXT", "ip4._spf.example.com", "v=spf1 -ip4:192.0.2.0/24 +all"});
         zone.push_back({"TXT", "ptr._spf.example.com", "v=spf1 -ptr:example.com +all"});
         return zone;
       }(),
       "198.51.100.1", "u@example.com", fail},
      {"A.5 no valid PTR",
       [] {
         Zone zone = AppendixA();
         zone.push_back(
             {"TXT", "example.com", "v=spf1 -include:ip4._spf.%{d} -include:ptr._spf.%{d} +all"});
         zone.push_back({"TXT", "ip4._spf.example.com", "v=spf1 -ip4:192.0.2.0/24 +all"});
         zone.push_back({"TXT", "ptr._spf.example.com", "v=spf1 -ptr:example.com +all"});
         return zone;
       }(),
       "192.0.2.200", "u@example.com", fail},
      // Appendix A.2: redirect to a shared record.
      {"A.2 redirect to the shared record",
       {{"TXT", "la.example.org", "v=spf1 redirect=example.org"},
        {"TXT", "example.org", "v=spf1 ip4:192.0.2.140 -all"}},
       "192.0.2.140",
       "u@la.example.org",
       pass},

      // 6.1 redirect.
      {"redirect used when nothing matched",
       {{"TXT", "example.com", "v=spf1 ip4:10.0.0.1 redirect=r.example.org"},
        {"TXT", "r.example.org", "v=spf1 ~all"}},
       "192.0.2.1",
       "u@example.com",
       softfail},
      {"redirect ignored when a mechanism matched",
       {{"TXT", "example.com", "v=spf1 ip4:192.0.2.1 redirect=r.example.org"},
        {"TXT", "r.example.org", "v=spf1 -all"}},
       "192.0.2.1",
       "u@example.com",
       pass},
      {"redirect ignored when there is all",
       {{"TXT", "example.com", "v=spf1 redirect=r.example.org ?all"},
        {"TXT", "r.example.org", "v=spf1 -all"}},
       "192.0.2.1",
       "u@example.com",
       neutral},
      {"redirect to none is permerror",
       {{"TXT", "example.com", "v=spf1 redirect=r.example.org"}},
       "192.0.2.1",
       "u@example.com",
       permerror,
       "",
       "redirect target"},
      {"redirect to an invalid name is permerror",
       {{"TXT", "example.com", "v=spf1 redirect=%{l}.example.org"}},
       "192.0.2.1",
       "a234567890123456789012345678901234567890123456789012345678901234@example.com",
       permerror},
      {"redirect: %{d} is the new domain",
       {{"TXT", "example.com", "v=spf1 redirect=r.example.org"},
        {"TXT", "r.example.org", "v=spf1 exists:%{d}.x.example.net -all"},
        {"A", "r.example.org.x.example.net", "127.0.0.1"}},
       "192.0.2.1",
       "u@example.com",
       pass},
      {"redirect inside include",
       {{"TXT", "example.com", "v=spf1 include:inc.example.org -all"},
        {"TXT", "inc.example.org", "v=spf1 redirect=r.example.org"},
        {"TXT", "r.example.org", "v=spf1 +all"}},
       "192.0.2.1",
       "u@example.com",
       pass},
      {"redirect from include to none is permerror",
       {{"TXT", "example.com", "v=spf1 include:inc.example.org -all"},
        {"TXT", "inc.example.org", "v=spf1 redirect=r.example.org"}},
       "192.0.2.1",
       "u@example.com",
       permerror},

      // 6.2 exp.
      {"exp success",
       {{"TXT", "example.com", "v=spf1 -all exp=explain.example.com"},
        {"TXT", "explain.example.com", "%{i} is not one of %{d}'s designated mail servers."}},
       "192.0.2.1",
       "u@example.com",
       fail,
       "192.0.2.1 is not one of example.com's designated mail servers."},
      {"exp with c r t and escapes",
       {{"TXT", "example.com", "v=spf1 -all exp=explain.%{d}"},
        {"TXT", "explain.example.com", "%{c} at %{t} by %{r}:%_%{L}%%%-"}},
       "2001:db8::1",
       "strong bad@example.com",
       fail,
       "2001:db8::1 at 1700000000 by mx.receiver.example: strong%20bad%%20"},
      {"exp with %{p}",
       [] {
         Zone zone = AppendixA();
         zone.push_back({"TXT", "example.com", "v=spf1 -all exp=explain.example.com"});
         zone.push_back({"TXT", "explain.example.com", "Host %{p} denied"});
         return zone;
       }(),
       "192.0.2.65", "u@example.com", fail, "Host amy.example.com denied"},
      {"exp NXDOMAIN: no explanation",
       {{"TXT", "example.com", "v=spf1 -all exp=explain.example.com"}},
       "192.0.2.1",
       "u@example.com",
       fail,
       ""},
      {"exp temperror: no explanation",
       {{"TXT", "example.com", "v=spf1 -all exp=explain.example.com"},
        {"TEMPFAIL", "explain.example.com", "TXT"}},
       "192.0.2.1",
       "u@example.com",
       fail,
       ""},
      {"exp two TXT records: no explanation",
       {{"TXT", "example.com", "v=spf1 -all exp=explain.example.com"},
        {"TXT", "explain.example.com", "one"},
        {"TXT", "explain.example.com", "two"}},
       "192.0.2.1",
       "u@example.com",
       fail,
       ""},
      {"exp syntax error: no explanation",
       {{"TXT", "example.com", "v=spf1 -all exp=explain.example.com"},
        {"TXT", "explain.example.com", "bad %x macro"}},
       "192.0.2.1",
       "u@example.com",
       fail,
       ""},
      {"exp non-ASCII: no explanation",
       {{"TXT", "example.com", "v=spf1 -all exp=explain.example.com"},
        {"TXT", "explain.example.com", "caf\xc3\xa9"}},
       "192.0.2.1",
       "u@example.com",
       fail,
       ""},
      {"exp target invalid: no explanation",
       {{"TXT", "example.com", "v=spf1 -all exp=%{l}.example.com"}},
       "192.0.2.1",
       "a234567890123456789012345678901234567890123456789012345678901234@example.com",
       fail,
       ""},
      {"exp only on fail",
       {{"TXT", "example.com", "v=spf1 ~all exp=explain.example.com"},
        {"TXT", "explain.example.com", "should not appear"}},
       "192.0.2.1",
       "u@example.com",
       softfail,
       ""},
      {"exp of the original record is not used after redirect",
       {{"TXT", "example.com", "v=spf1 exp=orig.example.com redirect=r.example.org"},
        {"TXT", "r.example.org", "v=spf1 -all"},
        {"TXT", "orig.example.com", "original"}},
       "192.0.2.1",
       "u@example.com",
       fail,
       ""},
      {"exp of the redirect target is used",
       {{"TXT", "example.com", "v=spf1 exp=orig.example.com redirect=r.example.org"},
        {"TXT", "r.example.org", "v=spf1 -all exp=new.example.org"},
        {"TXT", "orig.example.com", "original"},
        {"TXT", "new.example.org", "from %{d}"}},
       "192.0.2.1",
       "u@example.com",
       fail,
       "from r.example.org"},
      {"exp of an included record is not used",
       {{"TXT", "example.com", "v=spf1 -include:inc.example.org"},
        {"TXT", "inc.example.org", "v=spf1 +all exp=inc-exp.example.org"},
        {"TXT", "inc-exp.example.org", "included"}},
       "192.0.2.1",
       "u@example.com",
       fail,
       ""},
      {"exp after -include uses the top record's",
       {{"TXT", "example.com", "v=spf1 -include:inc.example.org exp=top.example.com"},
        {"TXT", "inc.example.org", "v=spf1 +all exp=inc-exp.example.org"},
        {"TXT", "top.example.com", "top"},
        {"TXT", "inc-exp.example.org", "included"}},
       "192.0.2.1",
       "u@example.com",
       fail,
       "top"},

      // 2.3 / 2.4 the HELO identity.
      {"null sender uses HELO",
       {{"TXT", "mail.example.net", "v=spf1 a -all"}, {"A", "mail.example.net", "192.0.2.7"}},
       "192.0.2.7",
       "",
       pass},
      {"null sender: %{s} is postmaster@HELO",
       {{"TXT", "mail.example.net", "v=spf1 exists:%{l}.%{o}.chk.example.org -all"},
        {"A", "postmaster.mail.example.net.chk.example.org", "127.0.0.1"}},
       "192.0.2.7",
       "",
       pass},
      {"null sender with an address-literal HELO is none",
       {},
       "192.0.2.7",
       "",
       none,
       "",
       "",
       "[192.0.2.7]"},
      {"null sender with a single-label HELO is none",
       {{"TXT", "localhost", "v=spf1 +all"}},
       "192.0.2.7",
       "",
       none,
       "",
       "",
       "localhost"},
      {"sender without local-part gets postmaster",
       {{"TXT", "example.com", "v=spf1 exists:%{l}.chk.example.org -all"},
        {"A", "postmaster.chk.example.org", "127.0.0.1"}},
       "192.0.2.7",
       "@example.com",
       pass},
  };
  cases.insert(cases.end(), more.begin(), more.end());
  return cases;
}

class SpfEvalTest : public ::testing::TestWithParam<bool> {};

TEST_P(SpfEvalTest, Table) {
  const bool async = GetParam();
  for (const Case& c : Cases()) {
    portcullis::testing::FakeResolver resolver;
    LoadZone(resolver, c.zone);
    resolver.set_async(async);
    SpfOutcome got = Evaluate(resolver, c.ip, c.sender, c.helo);
    EXPECT_EQ(ResultName(got.result), ResultName(c.want))
        << c.name << ": got " << ResultName(got.result) << " (" << got.reason << "), want "
        << ResultName(c.want);
    EXPECT_EQ(got.explanation, c.want_explanation) << c.name;
    EXPECT_NE(got.reason.find(c.want_reason), std::string::npos)
        << c.name << ": reason '" << got.reason << "' lacks '" << c.want_reason << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(InlineAndAsync, SpfEvalTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "Async" : "Inline";
                         });

TEST(SpfEval, ExplanationIsNotLookedUpForSoftfail) {
  portcullis::testing::FakeResolver resolver;
  LoadZone(resolver, {{"TXT", "example.com", "v=spf1 ~all exp=explain.example.com"}});
  Evaluate(resolver, "192.0.2.1", "u@example.com");
  EXPECT_EQ(resolver.LookupsOf("explain.example.com", dns::RecordType::kTxt), 0);
}

TEST(SpfEval, ExistsForIpv6AsksOnlyA) {
  portcullis::testing::FakeResolver resolver;
  LoadZone(resolver, {{"TXT", "example.com", "v=spf1 exists:x.example.org -all"}});
  Evaluate(resolver, "2001:db8::1", "u@example.com");
  EXPECT_EQ(resolver.LookupsOf("x.example.org", dns::RecordType::kA), 1);
  EXPECT_EQ(resolver.LookupsOf("x.example.org", dns::RecordType::kAaaa), 0);
}

}  // namespace
}  // namespace portcullis::spf
