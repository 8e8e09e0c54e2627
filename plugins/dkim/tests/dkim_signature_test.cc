// DKIM-Signature (RFC 6376 3.5) and key record (3.6.1, RFC 8463 4) parsing:
// tables of field value, want.
#include "dkim_signature.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dkim_key.h"

namespace portcullis::dkim {
namespace {

const std::string kBase = "v=1; a=rsa-sha256; d=example.com; s=sel; h=from:to; bh=YWJj; b=ZGVm";

struct SigCase {
  std::string value;
  std::string want_error;  // "" = parses
};

TEST(Signature, Table) {
  const std::vector<SigCase> cases = {
      {kBase, ""},
      {kBase + ";", ""},
      // Folded as the MTA delivers it, with FWS inside b= and h=.
      {"v=1; a=rsa-sha256;\n\td=example.com; s=sel; h=from :\n to; bh=YW\n Jj; b=ZG\n\tVm", ""},
      {"v=1; a=ed25519-sha256; d=example.com; s=sel; h=From; bh=YWJj; b=ZGVm", ""},
      {"v=1; a=rsa-sha1; d=example.com; s=sel; h=from; bh=YWJj; b=ZGVm", ""},
      {kBase + "; c=relaxed/simple; i=joe@sub.example.com; l=10; q=dns/txt; t=5; x=6; z=a|b", ""},
      {kBase + "; i=@example.com", ""},
      {kBase + "; v=1", "duplicate tag 'v'"},
      {"a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj; b=ZGVm", "missing required tag v="},
      {"v=1; d=example.com; s=sel; h=from; bh=YWJj; b=ZGVm", "missing required tag a="},
      {"v=1; a=rsa-sha256; s=sel; h=from; bh=YWJj; b=ZGVm", "missing required tag d="},
      {"v=1; a=rsa-sha256; d=example.com; h=from; bh=YWJj; b=ZGVm", "missing required tag s="},
      {"v=1; a=rsa-sha256; d=example.com; s=sel; bh=YWJj; b=ZGVm", "missing required tag h="},
      {"v=1; a=rsa-sha256; d=example.com; s=sel; h=from; b=ZGVm", "missing required tag bh="},
      {"v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj", "missing required tag b="},
      {"v=2; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj; b=ZGVm",
       "unsupported version v="},
      {"v=1; a=rsa-md5; d=example.com; s=sel; h=from; bh=YWJj; b=ZGVm",
       "unknown algorithm a=rsa-md5"},
      {"v=1; a=rsa-sha256; d=example.com; s=sel; h=to:subject; bh=YWJj; b=ZGVm",
       "h= does not include From"},
      {"v=1; a=rsa-sha256; d=example.com; s=sel; h=from::to; bh=YWJj; b=ZGVm",
       "empty header name in h="},
      {"v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj; b=ZGV*", "invalid base64 in b="},
      {"v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJ; b=ZGVm", "invalid base64 in bh="},
      {kBase + "; i=joe@example.org", "i= domain is not d= or a subdomain of it"},
      {kBase + "; i=joe@notexample.com", "i= domain is not d= or a subdomain of it"},
      {kBase + "; i=joe", "i= has no '@'"},
      {kBase + "; c=fancy", "unknown canonicalization c=fancy"},
      {kBase + "; l=ten", "invalid l="},
      {kBase + "; t=-1", "invalid t="},
      {kBase + "; t=1234567890123", "invalid t="},
      {kBase + "; t=10; x=10", "x= is not after t="},
      {kBase + "; q=http", "unsupported query method q="},
  };
  for (const SigCase& c : cases) {
    SignatureParseError error;
    auto sig = ParseSignature(c.value, &error);
    if (c.want_error.empty()) {
      EXPECT_TRUE(sig) << c.value << ": got error '" << error.reason << "'";
    } else {
      EXPECT_FALSE(sig) << c.value;
      EXPECT_EQ(error.reason, c.want_error) << c.value;
    }
  }
}

TEST(Signature, Fields) {
  SignatureParseError error;
  auto sig = ParseSignature(
      "v=1; a=ed25519-sha256; c=Relaxed; d=Example.COM; s=Sel; h=From : To:from;"
      " i=joe@example.com; l=42; t=100; x=200; bh=YWJj; b=ZG\n Vm",
      &error);
  ASSERT_TRUE(sig) << error.reason;
  EXPECT_EQ(sig->key_type, KeyType::kEd25519);
  EXPECT_EQ(sig->header_canon, Canonicalization::kRelaxed);
  EXPECT_EQ(sig->body_canon, Canonicalization::kSimple);  // 3.5 c=: one name → simple body
  EXPECT_EQ(sig->domain, "example.com");
  EXPECT_EQ(sig->selector, "sel");
  EXPECT_EQ(sig->signed_headers, (std::vector<std::string>{"from", "to", "from"}));
  EXPECT_EQ(sig->identity, "joe@example.com");
  EXPECT_EQ(sig->body_length, 42u);
  EXPECT_EQ(sig->timestamp, 100);
  EXPECT_EQ(sig->expiration, 200);
  EXPECT_EQ(sig->body_hash, "abc");
  EXPECT_EQ(sig->signature, "def");
  EXPECT_EQ(sig->b_text, "ZGVm");
}

TEST(Signature, ErrorsStillNameDomainAndSelector) {
  SignatureParseError error;
  EXPECT_FALSE(
      ParseSignature("v=1; a=rsa-sha256; d=Example.com; s=sel; h=to; bh=YWJj; b=ZGVm", &error));
  EXPECT_EQ(error.domain, "example.com");
  EXPECT_EQ(error.selector, "sel");
  EXPECT_EQ(error.algorithm, "rsa-sha256");
}

TEST(Signature, TooManySignedHeaders) {
  std::string h = "from";
  for (size_t i = 0; i < kMaxSignedHeaders; ++i) h += ":x";
  SignatureParseError error;
  EXPECT_FALSE(
      ParseSignature("v=1; a=rsa-sha256; d=e.com; s=s; h=" + h + "; bh=YWJj; b=ZGVm", &error));
  EXPECT_NE(error.reason.find("names in h="), std::string::npos) << error.reason;
}

TEST(Signature, WithoutSignatureValue) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {" v=1; b=abc; bh=xyz", " v=1; b=; bh=xyz"},
      {" v=1; bh=xyz; b=ab\n\tcd", " v=1; bh=xyz; b="},
      {" v=1; b = ab cd ; d=x", " v=1; b =; d=x"},
  };
  for (const auto& [in, want] : cases) {
    auto got = WithoutSignatureValue(in);
    ASSERT_TRUE(got) << in;
    EXPECT_EQ(*got, want) << in;
  }
  EXPECT_FALSE(WithoutSignatureValue(" v=1; bh=xyz"));
}

TEST(Signature, Subdomain) {
  EXPECT_TRUE(IsSameOrSubdomain("example.com", "example.com"));
  EXPECT_TRUE(IsSameOrSubdomain("a.example.com", "example.com"));
  EXPECT_FALSE(IsSameOrSubdomain("badexample.com", "example.com"));
  EXPECT_FALSE(IsSameOrSubdomain("com", "example.com"));
}

struct KeyCase {
  std::string text;
  std::string want_error;  // "" = parses
  bool revoked = false;
  KeyType type = KeyType::kRsa;
};

TEST(KeyRecord, Table) {
  const std::vector<KeyCase> cases = {
      {"v=DKIM1; k=rsa; p=YWJj", ""},
      {"p=YWJj", ""},
      {"v=DKIM1; k=ed25519; p=YWJj", "", false, KeyType::kEd25519},
      {"v=DKIM1; p=", "", true},
      {"v=DKIM1; p= ", "", true},
      {"v=DKIM1; h=sha256; s=email; t=y:s; p=YWJj", ""},
      {"v=DKIM1; s=*; p=YWJj", ""},
      {"v=DKIM1; n=notes here; p=YWJj", ""},
      {"k=rsa; v=DKIM1; p=YWJj", "key record v= is not DKIM1 first"},
      {"v=DKIM2; p=YWJj", "key record v= is not DKIM1 first"},
      {"v=DKIM1; k=dsa; p=YWJj", "unknown key type k=dsa"},
      {"v=DKIM1; s=web; p=YWJj", "key not for email (s=)"},
      {"v=DKIM1; k=rsa", "key syntax error: no p="},
      {"v=DKIM1; p=YW*j", "key syntax error: invalid base64 in p="},
      {"v=DKIM1; p=YWJj; p=YWJj", "key syntax error: duplicate tag 'p'"},
      {"garbage", "key syntax error: tag list: no '=' after tag 'garbage'"},
      {"v=DKIM1; p=" + std::string(kMaxKeyRecordBytes, 'A'),
       "key record longer than " + std::to_string(kMaxKeyRecordBytes) + " bytes"},
  };
  for (const KeyCase& c : cases) {
    std::string error;
    auto key = ParseKeyRecord(c.text, &error);
    if (!c.want_error.empty()) {
      EXPECT_FALSE(key) << c.text.substr(0, 60);
      EXPECT_EQ(error, c.want_error) << c.text.substr(0, 60);
      continue;
    }
    ASSERT_TRUE(key) << c.text << ": got error '" << error << "'";
    EXPECT_EQ(key->revoked, c.revoked) << c.text;
    EXPECT_EQ(key->type, c.type) << c.text;
  }
}

TEST(KeyRecord, Flags) {
  std::string error;
  auto key = ParseKeyRecord("v=DKIM1; h=sha1; t=y:s; p=YWJj", &error);
  ASSERT_TRUE(key) << error;
  EXPECT_FALSE(key->allows_sha256);
  EXPECT_TRUE(key->allows_sha1);
  EXPECT_TRUE(key->testing);
  EXPECT_TRUE(key->strict_identity);
  EXPECT_EQ(key->public_key, "abc");
}

}  // namespace
}  // namespace portcullis::dkim
