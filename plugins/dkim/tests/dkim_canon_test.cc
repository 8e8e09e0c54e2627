// Header canonicalization and selection (RFC 6376 3.4.1, 3.4.2, 5.4.2) and
// streaming body canonicalization (3.4.3, 3.4.4) with chunk-split
// invariance.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dkim_body_hash.h"
#include "dkim_header_canon.h"
#include "dkim_test_support.h"

namespace portcullis::dkim {
namespace {

using testing::Base64;
using testing::Sha256;

constexpr auto kSimple = Canonicalization::kSimple;
constexpr auto kRelaxed = Canonicalization::kRelaxed;

struct HeaderCase {
  Canonicalization canon;
  std::string name;
  std::string value;  // as the MTA delivers it (leading space kept, folds "\n")
  std::string want;
};

TEST(HeaderCanon, Table) {
  const std::vector<HeaderCase> cases = {
      {kSimple, "Subject", " Hello  World ", "Subject: Hello  World "},
      {kSimple, "Subject", " Hello\n\tWorld", "Subject: Hello\r\n\tWorld"},
      {kSimple, "Subject", " Hello\r\n World", "Subject: Hello\r\n World"},
      {kSimple, "SUBJECT", "x", "SUBJECT:x"},
      {kRelaxed, "SUBJECT", " Hello  World ", "subject:Hello World"},
      {kRelaxed, "Subject", " Hello\n\tWorld", "subject:Hello World"},
      {kRelaxed, "Subject", "\t \n  Hello \t\n  World \t ", "subject:Hello World"},
      {kRelaxed, "Subject ", " x", "subject:x"},  // WSP before the colon
      {kRelaxed, "Subject", "", "subject:"},
      {kRelaxed, "To", " a@b.c,\n c@d.e", "to:a@b.c, c@d.e"},
  };
  for (const HeaderCase& c : cases) {
    EXPECT_EQ(CanonicalizeHeader(c.canon, c.name, c.value), c.want)
        << CanonicalizationName(c.canon) << " '" << c.name << ":" << c.value << "'";
  }
}

TEST(HeaderCanon, SelectionFromTheBottomWithOverSigning) {
  const std::vector<HeaderField> headers = {
      {"From", " first@a.example"},
      {"To", " t@b.example"},
      {"Subject", " s"},
      {"from", " second@a.example"},
  };
  struct Case {
    std::vector<std::string> h;
    std::string want;
  };
  const std::vector<Case> cases = {
      {{"from"}, "from:second@a.example\r\n"},
      {{"from", "from"}, "from:second@a.example\r\nfrom:first@a.example\r\n"},
      // Over-signed: the third "from" and the absent "cc" add nothing.
      {{"from", "from", "from", "cc", "subject"},
       "from:second@a.example\r\nfrom:first@a.example\r\nsubject:s\r\n"},
      {{"to", "subject"}, "to:t@b.example\r\nsubject:s\r\n"},
      {{}, ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(SelectAndCanonicalize(kRelaxed, headers, c.h), c.want);
  }
}

std::string BodyHash(Canonicalization canon, const std::vector<std::string>& chunks,
                     std::optional<uint64_t> limit = std::nullopt) {
  BodyHasher hasher(canon, HashAlgorithm::kSha256, limit);
  for (const std::string& chunk : chunks) hasher.Update(chunk);
  return Base64(hasher.Finish());
}

struct BodyCase {
  Canonicalization canon;
  std::string body;
  std::string want_canonical;
};

TEST(BodyCanon, Table) {
  const std::vector<BodyCase> cases = {
      {kSimple, "", "\r\n"},
      {kSimple, "\r\n", "\r\n"},
      {kSimple, "\r\n\r\n\r\n", "\r\n"},
      {kSimple, "abc", "abc\r\n"},
      {kSimple, "abc\r\n", "abc\r\n"},
      {kSimple, "abc\r\n\r\n\r\n", "abc\r\n"},
      {kSimple, " a  b \r\n\r\nc \r\n\r\n", " a  b \r\n\r\nc \r\n"},
      {kSimple, "a\rb\r", "a\rb\r\r\n"},  // lone CRs are data
      {kRelaxed, "", ""},                 // erratum 1384
      {kRelaxed, "\r\n\r\n", ""},
      {kRelaxed, " \t \r\n \r\n", ""},
      {kRelaxed, "abc", "abc\r\n"},
      {kRelaxed, " a  \t b \t\r\n\r\nc \r\n \r\n\r\n", " a b\r\n\r\nc\r\n"},
      {kRelaxed, "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n",
       "Hi.\r\n\r\nWe lost the game. Are you hungry yet?\r\n\r\nJoe.\r\n"},
  };
  for (const BodyCase& c : cases) {
    EXPECT_EQ(BodyHash(c.canon, {c.body}), Base64(Sha256(c.want_canonical)))
        << CanonicalizationName(c.canon) << " body '" << c.body << "'";
  }
}

TEST(BodyCanon, Rfc8463BodyHash) {
  EXPECT_EQ(
      BodyHash(kRelaxed, {"Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n"}),
      "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
}

// Every split point (and every pair of split points) gives the same hash as
// the whole body: CRLF, WSP runs and trailing empty lines across chunks.
TEST(BodyCanon, ChunkSplitInvariance) {
  const std::string body = "a \t b\r\n\r\n \r\nc\rd  \r\n\r\n\t\r\n";
  for (auto canon : {kSimple, kRelaxed}) {
    const std::string whole = BodyHash(canon, {body});
    for (size_t i = 0; i <= body.size(); ++i) {
      for (size_t j = i; j <= body.size(); ++j) {
        EXPECT_EQ(BodyHash(canon, {body.substr(0, i), body.substr(i, j - i), body.substr(j)}),
                  whole)
            << CanonicalizationName(canon) << " split at " << i << "," << j;
      }
    }
    // One byte at a time.
    std::vector<std::string> bytes;
    for (char c : body) bytes.emplace_back(1, c);
    EXPECT_EQ(BodyHash(canon, bytes), whole);
  }
}

TEST(BodyCanon, LengthLimit) {
  struct Case {
    Canonicalization canon;
    std::string body;
    uint64_t limit;
    std::string want_hashed;
    uint64_t want_length;
  };
  const std::vector<Case> cases = {
      {kSimple, "abc\r\ndef\r\n", 5, "abc\r\n", 10},
      {kSimple, "abc\r\ndef\r\n", 0, "", 10},
      {kRelaxed, "a  b\r\n\r\n", 3, "a b", 5},
      {kSimple, "abc\r\n", 100, "abc\r\n", 5},  // l= beyond the body: hashes all
  };
  for (const Case& c : cases) {
    BodyHasher hasher(c.canon, HashAlgorithm::kSha256, c.limit);
    for (char ch : c.body) hasher.Update(std::string(1, ch));
    EXPECT_EQ(Base64(hasher.Finish()), Base64(Sha256(c.want_hashed))) << c.body << " l=" << c.limit;
    EXPECT_EQ(hasher.canonical_length(), c.want_length) << c.body;
  }
}

TEST(BodyCanon, HashSetSharesHashers) {
  BodyHashSet set;
  const size_t a = set.Want(kRelaxed, HashAlgorithm::kSha256, std::nullopt);
  const size_t b = set.Want(kSimple, HashAlgorithm::kSha256, std::nullopt);
  const size_t c = set.Want(kRelaxed, HashAlgorithm::kSha256, std::nullopt);
  const size_t d = set.Want(kRelaxed, HashAlgorithm::kSha256, 10);
  EXPECT_EQ(a, c);
  EXPECT_NE(a, b);
  EXPECT_NE(a, d);
  EXPECT_EQ(set.size(), 3u);
}

}  // namespace
}  // namespace portcullis::dkim
