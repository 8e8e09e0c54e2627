#include "portcullis/from_header.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portcullis {
namespace {

struct Case {
  std::string value;
  std::vector<std::string> want_domains;
  bool want_ambiguous;
};

TEST(ListsFromHeader, ParseTable) {
  const Case cases[] = {
      // The usual forms.
      {" user@example.org", {"example.org"}, false},
      {" <user@example.org>", {"example.org"}, false},
      {" Jane Doe <jane@Example.ORG>", {"example.org"}, false},
      {" \"Doe, Jane\" <jane@example.org>", {"example.org"}, false},
      {" jane@example.org (Jane Doe)", {"example.org"}, false},
      {" (comment) jane@example.org", {"example.org"}, false},
      {" Jane (nested (comment) here) <jane@example.org>", {"example.org"}, false},
      {" =?utf-8?q?J=C3=A4ne?= <jane@example.org>", {"example.org"}, false},
      {" jane@example.org.", {"example.org"}, false},
      {" \"jane doe\"@example.org", {"example.org"}, false},
      {" <\"a@b\"@example.org>", {"example.org"}, false},
      {" Jane\n\t<jane@example.org>", {"example.org"}, false},         // folded
      {" <@relay.example:jane@example.org>", {"example.org"}, false},  // obsolete route
      // Several authors: every domain, still unambiguous (RFC 5322 allows it).
      {" a@one.example, B <b@two.example>", {"one.example", "two.example"}, false},
      {" a@one.example,, b@two.example", {"one.example", "two.example"}, false},
      // Display names and comments never count.
      {" \"boss@good.example\" <x@evil.example>", {"evil.example"}, false},
      {" x@evil.example (boss@good.example)", {"evil.example"}, false},
      {" \"a\\\"b@good.example\" <x@evil.example>", {"evil.example"}, false},
      // Ambiguous: a reader could see another author, or there is none.
      {" boss@good.example <x@evil.example>", {"evil.example"}, true},
      {" <a@one.example> <b@two.example>", {"one.example", "two.example"}, true},
      {" a@one.example b@two.example", {"one.example", "two.example"}, true},
      {" undisclosed-recipients:;", {}, true},
      {" Team: a@one.example, b@two.example;", {"one.example", "two.example"}, false},
      {" Jane Doe", {}, true},
      {"", {}, true},
      {" <jane@example.org", {"example.org"}, true},
      {" \"Jane <jane@example.org>", {}, true},
      {" (Jane <jane@example.org>", {}, true},
      {" jane@example.org>", {"example.org"}, true},
      {" jane@[192.0.2.1]", {}, true},
      {" <jane@>", {}, true},
      {" <@example.org>", {}, true},
      {" <<a@one.example>>", {"one.example"}, true},
  };
  for (const Case& c : cases) {
    FromDomains got = ParseFromDomains(c.value);
    EXPECT_EQ(got.domains, c.want_domains)
        << "From:" << c.value << " got " << ::testing::PrintToString(got.domains);
    EXPECT_EQ(got.ambiguous, c.want_ambiguous) << "From:" << c.value;
  }
}

TEST(ListsFromHeader, Limits) {
  std::string many;
  for (size_t i = 0; i < kMaxFromAddresses + 5; ++i) {
    many += (i ? ", " : " ") + std::string("u@d") + std::to_string(i) + ".example";
  }
  FromDomains got = ParseFromDomains(many);
  EXPECT_EQ(got.domains.size(), kMaxFromAddresses);
  EXPECT_TRUE(got.ambiguous);

  std::string huge = " a@one.example, " + std::string(kMaxFromValueBytes, 'x') + "@two.example";
  got = ParseFromDomains(huge);
  EXPECT_EQ(got.domains, std::vector<std::string>{"one.example"});
  EXPECT_TRUE(got.ambiguous);
}

}  // namespace
}  // namespace portcullis
