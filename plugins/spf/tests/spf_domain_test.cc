#include "spf_domain.h"

#include <gtest/gtest.h>

#include <string>

#include "spf_text.h"

namespace portcullis::spf {
namespace {

TEST(SpfDomain, ValidityPerSection43) {
  struct Case {
    std::string domain;
    bool want;
  } cases[] = {
      {"example.com", true},
      {"example.com.", true},
      {"a.b", true},
      {"mail.example.org", true},
      {"example", false},  // not multi-label
      {"example.", false},
      {"", false},
      {".", false},
      {"a..b", false},  // empty label
      {".example.com", false},
      {"example.com..", false},
      {std::string(63, 'a') + ".com", true},
      {std::string(64, 'a') + ".com", false},  // label > 63
      {std::string(249, 'a')
               .replace(60, 1, ".")
               .replace(120, 1, ".")
               .replace(180, 1, ".")
               .replace(240, 1, ".") +
           ".com",
       true},
      {std::string(250, 'a')
               .replace(60, 1, ".")
               .replace(120, 1, ".")
               .replace(180, 1, ".")
               .replace(240, 1, ".") +
           ".com",
       false},
      {"[192.0.2.1]", false},  // address literal
      {"exa mple.com", false},
      {"ex\nample.com", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsValidDomain(c.domain), c.want)
        << "'" << c.domain << "' (" << c.domain.size() << " chars)";
  }
}

TEST(SpfDomain, TruncateDropsLeftLabels) {
  std::string name = std::string(100, 'a') + "." + std::string(100, 'b') + "." +
                     std::string(100, 'c') + ".example.com";
  TruncateDomain(&name);
  EXPECT_EQ(name, std::string(100, 'b') + "." + std::string(100, 'c') + ".example.com");
  std::string fits = "a.example.com";
  TruncateDomain(&fits);
  EXPECT_EQ(fits, "a.example.com");
  std::string one_label(300, 'x');
  TruncateDomain(&one_label);
  EXPECT_EQ(one_label.size(), 300u);  // nothing to cut at
}

TEST(SpfDomain, SubdomainMatching) {
  struct Case {
    const char* name;
    const char* parent;
    bool want;
  } cases[] = {
      {"example.com", "example.com", true},     {"mx.example.com", "example.com", true},
      {"MX.Example.COM.", "example.com", true}, {"badexample.com", "example.com", false},
      {"example.com", "mx.example.com", false}, {"example.com", "", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsSameOrSubdomain(c.name, c.parent), c.want) << c.name << " under " << c.parent;
  }
}

TEST(SpfDomain, SenderSplitSubstitutesPostmaster) {
  struct Case {
    const char* sender;
    const char* local;
    const char* domain;
    const char* full;
  } cases[] = {
      {"user@example.com", "user", "example.com", "user@example.com"},
      {"@example.com", "postmaster", "example.com", "postmaster@example.com"},
      {"example.com", "postmaster", "example.com", "postmaster@example.com"},
      {"\"a@b\"@example.com", "\"a@b\"", "example.com", "\"a@b\"@example.com"},
  };
  for (const Case& c : cases) {
    SenderParts parts = SplitSender(c.sender);
    EXPECT_EQ(parts.local_part, c.local) << c.sender;
    EXPECT_EQ(parts.domain, c.domain) << c.sender;
    EXPECT_EQ(parts.sender, c.full) << c.sender;
  }
}

TEST(SpfText, SafeForRepliesHeadersAndJson) {
  EXPECT_EQ(PrintableAscii("ok\r\n550 bad\x80", 100), "ok??550 bad?");
  EXPECT_EQ(PrintableAscii("abcdef", 3), "abc");
  EXPECT_EQ(CommentText("a (b) \\c", 100), "a \\(b\\) \\\\c");
  EXPECT_EQ(JsonString("say \"hi\"\\\n\x01"), "\"say \\\"hi\\\"\\\\\\n\\u0001\"");
}

}  // namespace
}  // namespace portcullis::spf
