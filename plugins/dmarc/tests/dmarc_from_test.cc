// RFC 7489 6.6.1: the Author Domain from the From header fields.
#include "dmarc_from.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portcullis::dmarc {
namespace {

TEST(DmarcFrom, AuthorDomainTable) {
  struct Case {
    const char* name;
    std::vector<std::string> values;
    const char* want;  // nullptr: no Author Domain
    const char* want_problem;
  } cases[] = {
      {"plain", {" alice@Example.ORG"}, "example.org", ""},
      {"display name", {" \"Alice\" <alice@mail.example.com>"}, "mail.example.com", ""},
      {"display name with address", {" \"boss@good.org\" <x@evil.org>"}, "evil.org", ""},
      {"trailing dot", {" <a@example.com.>"}, "example.com", ""},
      {"no From", {}, nullptr, "no From header"},
      {"two From", {" a@example.com", " b@example.com"}, nullptr, "2 From headers"},
      {"two same From", {" a@example.com", " a@example.com"}, nullptr, "2 From headers"},
      {"two addresses", {" a@example.com, b@example.net"}, nullptr, "has 2 addresses"},
      {"no domain", {" alice"}, nullptr, "no address with a domain"},
      {"empty", {""}, nullptr, "no address with a domain"},
      {"unbalanced", {" \"Alice <a@example.com>"}, nullptr, ""},
      {"single label", {" root@localhost"}, nullptr, "not a multi-label"},
      {"address literal", {" a@[192.0.2.1]"}, nullptr, ""},
  };
  for (const Case& c : cases) {
    AuthorDomain got = FindAuthorDomain(c.values);
    if (c.want) {
      ASSERT_TRUE(got.domain) << c.name << ": " << got.problem;
      EXPECT_EQ(*got.domain, c.want) << c.name;
      EXPECT_TRUE(got.problem.empty()) << c.name;
    } else {
      EXPECT_FALSE(got.domain) << c.name << ": got " << got.domain.value_or("");
      EXPECT_FALSE(got.problem.empty()) << c.name;
      EXPECT_NE(got.problem.find(c.want_problem), std::string::npos)
          << c.name << ": got '" << got.problem << "'";
    }
  }
}

}  // namespace
}  // namespace portcullis::dmarc
