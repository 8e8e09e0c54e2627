// Chain structure (RFC 8617 5.1.1, 5.2 steps 1-3) as a table: header
// sections built from ARC sets with placeholder signatures.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arc_chain.h"

namespace portcullis::arc {
namespace {

using Outcome = ChainStructure::Outcome;

HeaderField Aar(int i) {
  return {"ARC-Authentication-Results", " i=" + std::to_string(i) + "; mx.example; spf=pass"};
}
HeaderField Ams(int i) {
  return {"ARC-Message-Signature", " i=" + std::to_string(i) + "; a=rsa-sha256; d=s" +
                                       std::to_string(i) +
                                       ".example; s=sel; h=from; bh=AAAA; b=AAAA"};
}
HeaderField Seal(int i, const std::string& cv) {
  return {"ARC-Seal", " i=" + std::to_string(i) + "; cv=" + cv + "; a=rsa-sha256; d=s" +
                          std::to_string(i) + ".example; s=sel; b=AAAA"};
}
// A valid chain of `n` sets, newest first as MTAs prepend them.
std::vector<HeaderField> Chain(int n) {
  std::vector<HeaderField> out;
  for (int i = n; i >= 1; --i) {
    out.push_back(Seal(i, i == 1 ? "none" : "pass"));
    out.push_back(Ams(i));
    out.push_back(Aar(i));
  }
  out.push_back({"From", " a@example.org"});
  return out;
}
std::vector<HeaderField> Without(std::vector<HeaderField> headers, const std::string& name, int i) {
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    if (it->name == name && it->value.find(" i=" + std::to_string(i) + ";") == 0) {
      headers.erase(it);
      break;
    }
  }
  return headers;
}
std::vector<HeaderField> With(std::vector<HeaderField> headers, HeaderField field) {
  headers.insert(headers.begin(), std::move(field));
  return headers;
}
std::vector<HeaderField> Replaced(std::vector<HeaderField> headers, size_t index,
                                  HeaderField field) {
  headers[index] = std::move(field);
  return headers;
}

TEST(ArcStructure, Table) {
  struct Case {
    std::string name;
    std::vector<HeaderField> headers;
    int max_instances;
    Outcome want;
    std::string reason;  // substring for kFail
    size_t sets;         // for kValid
  };
  std::vector<HeaderField> gap = Chain(3);
  gap = Without(Without(Without(gap, "ARC-Seal", 2), "ARC-Message-Signature", 2),
                "ARC-Authentication-Results", 2);
  // Chain(2) order: AS2, AMS2, AAR2, AS1, AMS1, AAR1, From.
  const std::vector<Case> cases = {
      {"no ARC fields",
       {{"From", " a@example.org"}, {"Authentication-Results", " mx; spf=pass"}},
       50,
       Outcome::kNone,
       "",
       0},
      {"one set", Chain(1), 50, Outcome::kValid, "", 1},
      {"two sets", Chain(2), 50, Outcome::kValid, "", 2},
      {"fifty sets", Chain(50), 50, Outcome::kValid, "", 50},
      {"more than max_instances", Chain(3), 2, Outcome::kFail, "more than 2 ARC sets", 0},
      {"i=51", With(Chain(1), Aar(51)), 50, Outcome::kFail, "outside 1..50", 0},
      {"i=0", With(Chain(1), Aar(0)), 50, Outcome::kFail, "outside 1..50", 0},
      {"missing AMS i=1", Without(Chain(2), "ARC-Message-Signature", 1), 50, Outcome::kFail,
       "ARC-Message-Signature i=1 missing", 0},
      {"missing AAR i=2", Without(Chain(2), "ARC-Authentication-Results", 2), 50, Outcome::kFail,
       "ARC-Authentication-Results i=2 missing", 0},
      {"missing newest AS", Without(Chain(2), "ARC-Seal", 2), 50, Outcome::kFail,
       "ARC-Seal i=2 missing", 0},
      {"gap at i=2", gap, 50, Outcome::kFail, "i=2 missing", 0},
      {"duplicate AMS", With(Chain(1), Ams(1)), 50, Outcome::kFail,
       "more than one ARC-Message-Signature i=1", 0},
      {"duplicate AS", With(Chain(2), Seal(2, "pass")), 50, Outcome::kFail,
       "more than one ARC-Seal i=2", 0},
      {"newest cv=fail", Replaced(Chain(2), 0, Seal(2, "fail")), 50, Outcome::kFail,
       "ARC-Seal i=2 says cv=fail", 0},
      {"newest cv=fail wins over a missing set",
       Without(Replaced(Chain(2), 0, Seal(2, "fail")), "ARC-Message-Signature", 1), 50,
       Outcome::kFail, "says cv=fail", 0},
      {"i=1 cv=pass", Replaced(Chain(1), 0, Seal(1, "pass")), 50, Outcome::kFail,
       "ARC-Seal i=1 has cv=pass, want cv=none", 0},
      {"i=2 cv=none", Replaced(Chain(2), 0, Seal(2, "none")), 50, Outcome::kFail,
       "ARC-Seal i=2 has cv=none, want cv=pass", 0},
      {"older cv=fail", Replaced(Chain(2), 3, Seal(1, "fail")), 50, Outcome::kFail,
       "ARC-Seal i=1 has cv=fail", 0},
      {"AAR without i=", With(Chain(1), {"ARC-Authentication-Results", " mx.example; none"}), 50,
       Outcome::kFail, "does not start with i=", 0},
      {"AS with h=",
       Replaced(Chain(1), 0, {"ARC-Seal", " i=1; cv=none; a=rsa-sha256; d=x; s=y; h=from; b=AAAA"}),
       50, Outcome::kFail, "h= not allowed", 0},
      {"AS with bad cv", Replaced(Chain(1), 0, Seal(1, "perhaps")), 50, Outcome::kFail,
       "invalid cv=", 0},
  };
  for (const Case& c : cases) {
    const ChainStructure got = CheckStructure(c.headers, c.max_instances);
    EXPECT_EQ(got.outcome, c.want) << c.name << ": reason " << got.reason;
    if (c.want == Outcome::kFail) {
      EXPECT_NE(got.reason.find(c.reason), std::string::npos)
          << c.name << ": got reason '" << got.reason << "', want '" << c.reason << "'";
    }
    if (c.want == Outcome::kValid) {
      ASSERT_EQ(got.sets.size(), c.sets) << c.name;
      for (size_t n = 0; n < got.sets.size(); ++n) {
        EXPECT_EQ(got.sets[n].parsed_seal.instance, static_cast<int>(n) + 1) << c.name;
        EXPECT_EQ(got.sets[n].parsed_seal.domain, "s" + std::to_string(n + 1) + ".example")
            << c.name;
      }
    }
  }
}

}  // namespace
}  // namespace portcullis::arc
