#include "dnsbl_answer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portcullis::dnsbl {
namespace {

uint32_t Code(const char* text) {
  const IpAddress address = *IpAddress::Parse(text);  // kept alive: bytes() points into it
  const uint8_t* b = address.bytes();
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

// ZEN-like codes, a SURBL-like mask and a default.
DnsblList TestList(bool with_default) {
  DnsblList list;
  list.zone = "bl.example";
  list.codes = {{Code("127.0.0.2"), Code("127.0.0.2"), {"BL_TWO", 4}, ""},
                {Code("127.0.0.4"), Code("127.0.0.7"), {"BL_FOUR_TO_SEVEN", 5}, ""},
                {Code("127.0.0.1"), Code("127.0.0.1"), {}, "query refused"}};
  list.masks = {{0x40, {"BL_MASK_40", 1}}};
  if (with_default) list.default_symbol = SymbolScore{"BL_OTHER", 3};
  return list;
}

dns::Answer AnswerOf(dns::Status status, std::vector<std::string> addresses = {},
                     std::string error = "") {
  dns::Answer answer;
  answer.status = status;
  answer.error = std::move(error);
  for (const std::string& text : addresses) answer.addresses.push_back(*IpAddress::Parse(text));
  return answer;
}

// "127.0.0.2=BL_TWO,BL_X 127.0.0.5=BL_FOUR_TO_SEVEN" for comparisons.
std::string Describe(const ListAnswer& answer) {
  std::string text(ListAnswerKindName(answer.kind));
  for (const Listing& listing : answer.listings) {
    text += " " + listing.code + "=";
    for (size_t i = 0; i < listing.symbols.size(); ++i) {
      text += (i ? "," : "") + listing.symbols[i].symbol;
    }
  }
  if (!answer.error.empty()) text += " error=" + answer.error;
  return text;
}

TEST(DnsblAnswer, ClassifyTable) {
  using S = dns::Status;
  struct Case {
    const char* name;
    dns::Answer answer;
    bool with_default;
    std::string want;
  } cases[] = {
      {"nxdomain is not listed", AnswerOf(S::kNxDomain), true, "not_listed"},
      {"nodata is not listed", AnswerOf(S::kNoData), true, "not_listed"},
      {"ok without addresses", AnswerOf(S::kOk), true, "not_listed"},
      {"one code", AnswerOf(S::kOk, {"127.0.0.2"}), true, "listed 127.0.0.2=BL_TWO"},
      {"range", AnswerOf(S::kOk, {"127.0.0.6"}), true, "listed 127.0.0.6=BL_FOUR_TO_SEVEN"},
      {"several codes give several symbols", AnswerOf(S::kOk, {"127.0.0.2", "127.0.0.4"}), true,
       "listed 127.0.0.2=BL_TWO 127.0.0.4=BL_FOUR_TO_SEVEN"},
      {"same code twice counted once", AnswerOf(S::kOk, {"127.0.0.2", "127.0.0.2"}), true,
       "listed 127.0.0.2=BL_TWO"},
      {"mask bit", AnswerOf(S::kOk, {"127.0.0.64"}), true, "listed 127.0.0.64=BL_MASK_40"},
      {"mask ignores the other bits", AnswerOf(S::kOk, {"127.0.0.68"}), true,
       "listed 127.0.0.68=BL_MASK_40"},
      {"other code gets the default", AnswerOf(S::kOk, {"127.0.0.11"}), true,
       "listed 127.0.0.11=BL_OTHER"},
      {"other code without default has no symbol", AnswerOf(S::kOk, {"127.0.0.11"}), false,
       "listed 127.0.0.11="},
      {"outside 127/8 is an error", AnswerOf(S::kOk, {"192.0.2.1"}), true,
       "error error=192.0.2.1 (outside 127.0.0.0/8, RFC 5782 2.3)"},
      {"spamhaus public resolver code", AnswerOf(S::kOk, {"127.255.255.254"}), true,
       "error error=127.255.255.254 (refused: query came through a public/open resolver)"},
      {"spamhaus quota code", AnswerOf(S::kOk, {"127.255.255.255"}), true,
       "error error=127.255.255.255 (refused: excessive number of queries)"},
      {"spamhaus typo code", AnswerOf(S::kOk, {"127.255.255.252"}), true,
       "error error=127.255.255.252 (refused: typo in the zone name)"},
      {"an error code spoils the listing", AnswerOf(S::kOk, {"127.0.0.2", "127.255.255.254"}), true,
       "error error=127.255.255.254 (refused: query came through a public/open resolver)"},
      {"wildcard parking page", AnswerOf(S::kOk, {"127.0.0.2", "203.0.113.80"}), true,
       "error error=203.0.113.80 (outside 127.0.0.0/8, RFC 5782 2.3)"},
      {"the list's own refusal code", AnswerOf(S::kOk, {"127.0.0.1"}), true,
       "error error=127.0.0.1 (query refused)"},
      {"a refusal code spoils the listing", AnswerOf(S::kOk, {"127.0.0.2", "127.0.0.1"}), true,
       "error error=127.0.0.1 (query refused)"},
      {"timeout", AnswerOf(S::kTempError, {}, "timeout"), true, "temperror error=timeout"},
      {"servfail", AnswerOf(S::kTempError, {}, "SERVFAIL"), true, "temperror error=SERVFAIL"},
      {"permerror", AnswerOf(S::kPermError, {}, "label too long"), true,
       "error error=unusable query name: label too long"},
  };
  for (const Case& c : cases) {
    ListAnswer got = Classify(TestList(c.with_default), c.answer);
    EXPECT_EQ(Describe(got), c.want) << c.name;
  }
}

TEST(DnsblAnswer, HitNeedsASymbol) {
  DnsblList list = TestList(false);
  ListAnswer unmatched = Classify(list, AnswerOf(dns::Status::kOk, {"127.0.0.11"}));
  EXPECT_EQ(unmatched.kind, ListAnswer::Kind::kListed);
  EXPECT_FALSE(unmatched.Hit());
  ListAnswer matched = Classify(list, AnswerOf(dns::Status::kOk, {"127.0.0.11", "127.0.0.5"}));
  ASSERT_TRUE(matched.Hit());
  EXPECT_EQ(matched.FirstSymbol().symbol, "BL_FOUR_TO_SEVEN");
}

}  // namespace
}  // namespace portcullis::dnsbl
