// The ARC field parsers (arc_fields.h): names, i= of each kind, ARC-Seal
// and ARC-Message-Signature tag lists.
#include "arc_fields.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portcullis::arc {
namespace {

TEST(ArcFields, KindOf) {
  struct Case {
    std::string name;
    std::optional<ArcFieldKind> want;
  };
  const std::vector<Case> cases = {
      {"ARC-Seal", ArcFieldKind::kSeal},
      {"arc-seal", ArcFieldKind::kSeal},
      {"ARC-Seal \t", ArcFieldKind::kSeal},
      {"ARC-Message-Signature", ArcFieldKind::kMessageSignature},
      {"ARC-Authentication-Results", ArcFieldKind::kAuthResults},
      {"Authentication-Results", std::nullopt},
      {"DKIM-Signature", std::nullopt},
      {"ARC-Seals", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ArcFieldKindOf(c.name), c.want) << c.name;
  }
}

TEST(ArcFields, Instance) {
  struct Case {
    ArcFieldKind kind;
    std::string value;
    int want;  // 0: error
  };
  const std::vector<Case> cases = {
      {ArcFieldKind::kAuthResults, " i=1; mx.example; spf=pass", 1},
      {ArcFieldKind::kAuthResults, " i = 12 ;mx.example; none", 12},
      {ArcFieldKind::kAuthResults, " I=3; mx", 3},
      {ArcFieldKind::kAuthResults, " mx.example; i=1", 0},
      {ArcFieldKind::kAuthResults, " i=1 mx.example", 0},
      {ArcFieldKind::kAuthResults, " i=0; mx", 0},
      {ArcFieldKind::kAuthResults, " i=51; mx", 0},
      {ArcFieldKind::kAuthResults, " i=50; mx", 50},
      {ArcFieldKind::kAuthResults, " i=99999999999; mx", 0},
      {ArcFieldKind::kSeal, " i=2; cv=pass; a=rsa-sha256", 2},
      {ArcFieldKind::kSeal, " cv=pass; a=rsa-sha256", 0},
      {ArcFieldKind::kSeal, " i=x; cv=pass", 0},
      {ArcFieldKind::kMessageSignature, " a=rsa-sha256; i=7", 7},
      {ArcFieldKind::kMessageSignature, " i=1; i=2", 0},  // duplicate tag
  };
  for (const Case& c : cases) {
    std::string error;
    auto got = ParseInstance(c.kind, c.value, &error);
    if (c.want == 0) {
      EXPECT_FALSE(got) << c.value << ": got " << got.value_or(-1) << ", want an error";
      EXPECT_FALSE(error.empty()) << c.value;
    } else {
      ASSERT_TRUE(got) << c.value << ": " << error;
      EXPECT_EQ(*got, c.want) << c.value;
    }
  }
}

TEST(ArcFields, Seal) {
  struct Case {
    std::string value;
    std::string error;  // substring; "" for success
    ChainValidation cv = ChainValidation::kNone;
  };
  const std::vector<Case> cases = {
      {"i=1; cv=none; a=rsa-sha256; d=Example.ORG; s=Sel; t=1; b=AAAA", "", ChainValidation::kNone},
      {"i=2; cv=Pass; a=rsa-sha256; d=e.org; s=s; b=AA\n AA", "", ChainValidation::kPass},
      {"i=2; cv=fail; a=ed25519-sha256; d=e.org; s=s; b=AAAA", "", ChainValidation::kFail},
      {"i=1; cv=maybe; a=rsa-sha256; d=e.org; s=s; b=AAAA", "invalid cv="},
      {"i=1; a=rsa-sha256; d=e.org; s=s; b=AAAA", "missing required tag cv="},
      {"i=1; cv=none; a=rsa-sha256; d=e.org; s=s; h=from; b=AAAA", "h= not allowed"},
      {"i=1; cv=none; a=rsa-sha1; d=e.org; s=s; b=AAAA", "unsupported algorithm"},
      {"i=1; cv=none; a=rsa-sha256; d=e.org; s=s; b=!!", "invalid base64"},
      {"i=1; cv=none; a=rsa-sha256; d=e.org; s=s; b=", "invalid base64"},
      {"i=1; cv=none; a=rsa-sha256; d=; s=s; b=AAAA", "empty d="},
  };
  for (const Case& c : cases) {
    std::string error;
    auto got = ParseSeal(c.value, &error);
    if (c.error.empty()) {
      ASSERT_TRUE(got) << c.value << ": " << error;
      EXPECT_EQ(got->cv, c.cv) << c.value;
    } else {
      EXPECT_FALSE(got) << c.value << ": parsed, want error " << c.error;
      EXPECT_NE(error.find(c.error), std::string::npos) << c.value << ": got " << error;
    }
  }
  std::string error;
  auto seal = ParseSeal("i=1; cv=none; a=rsa-sha256; d=Example.ORG; s=Sel; b=AAAA", &error);
  ASSERT_TRUE(seal);
  EXPECT_EQ(seal->domain, "example.org");
  EXPECT_EQ(seal->selector, "sel");
  EXPECT_EQ(seal->signature, std::string(3, '\0'));
}

TEST(ArcFields, MessageSignature) {
  struct Case {
    std::string value;
    std::string error;  // substring; "" for success
  };
  const std::vector<Case> cases = {
      {"i=1; a=rsa-sha256; d=e.org; s=s; h=From:To; bh=AAAA; b=AAAA", ""},
      {"i=1; a=rsa-sha256; d=e.org; s=s; h=from; bh=AAAA", "missing required tag b="},
      {"i=1; a=rsa-sha256; d=e.org; s=s; h=from; b=AAAA", "missing required tag bh="},
      {"i=1; a=rsa-sha256; d=e.org; s=s; bh=AAAA; b=AAAA", "missing required tag h="},
      {"i=1; a=rsa-sha256; d=e.org; s=s; h=from:ARC-Seal; bh=AAAA; b=AAAA", "h= includes ARC-Seal"},
      {"i=1; a=rsa-sha256; d=e.org; s=s; h=from::to; bh=AAAA; b=AAAA", "empty name in h="},
      {"i=1; a=rsa-sha256; c=relaxed/odd; d=e.org; s=s; h=from; bh=AAAA; b=AAAA", "invalid c="},
      {"i=1; a=rsa-sha256; l=12x; d=e.org; s=s; h=from; bh=AAAA; b=AAAA", "invalid l="},
      {"i=1; a=rsa-sha256; l=99999999999999999999; d=e.org; s=s; h=from; bh=AAAA; b=AAAA",
       "invalid l="},
  };
  for (const Case& c : cases) {
    std::string error;
    auto got = ParseMessageSignature(c.value, &error);
    if (c.error.empty()) {
      EXPECT_TRUE(got) << c.value << ": " << error;
    } else {
      EXPECT_FALSE(got) << c.value << ": parsed, want error " << c.error;
      EXPECT_NE(error.find(c.error), std::string::npos) << c.value << ": got " << error;
    }
  }
  // RFC 8617 4.1.2 / RFC 6376 3.5: c= defaults to simple/simple; a lone
  // header canonicalization means simple body.
  struct Canon {
    std::string c;
    dkim::Canonicalization header, body;
  };
  const std::vector<Canon> canons = {
      {"", dkim::Canonicalization::kSimple, dkim::Canonicalization::kSimple},
      {"c=relaxed/relaxed; ", dkim::Canonicalization::kRelaxed, dkim::Canonicalization::kRelaxed},
      {"c=relaxed; ", dkim::Canonicalization::kRelaxed, dkim::Canonicalization::kSimple},
      {"c=simple/relaxed; ", dkim::Canonicalization::kSimple, dkim::Canonicalization::kRelaxed},
  };
  for (const Canon& c : canons) {
    std::string error;
    auto got = ParseMessageSignature(
        "i=1; a=rsa-sha256; " + c.c + "d=e.org; s=s; h=from : to; l=10; bh=AAAA; b=AAAA", &error);
    ASSERT_TRUE(got) << c.c << error;
    EXPECT_EQ(got->header_canon, c.header) << c.c;
    EXPECT_EQ(got->body_canon, c.body) << c.c;
    EXPECT_EQ(got->signed_headers, (std::vector<std::string>{"from", "to"}));
    EXPECT_EQ(got->body_length, 10u);
  }
}

}  // namespace
}  // namespace portcullis::arc
