// RFC 7208 section 7: the macro grammar and every expansion example of 7.4.
#include "spf_macro.h"

#include <gtest/gtest.h>

#include <string>

#include "spf_domain.h"
#include "spf_test_support.h"

namespace portcullis::spf {
namespace {

using testing::Ip;

// RFC 7208 7.4: "The <sender> is strong-bad@email.example.com. The IPv4
// SMTP client IP is 192.0.2.3. The IPv6 SMTP client IP is 2001:db8::cb01.
// The PTR domain name of the client IP is mx.example.org."
struct Rfc74 {
  IpAddress v4 = Ip("192.0.2.3");
  IpAddress v6 = Ip("2001:db8::cb01");
  MacroInputs Inputs(const IpAddress* ip) const {
    MacroInputs inputs;
    inputs.sender = "strong-bad@email.example.com";
    inputs.local_part = "strong-bad";
    inputs.sender_domain = "email.example.com";
    inputs.domain = "email.example.com";
    inputs.ip = ip;
    inputs.validated_name = "mx.example.org";
    inputs.helo = "mx.example.org";
    inputs.receiver = "receiver.example.net";
    inputs.now = 1700000000;
    return inputs;
  }
};

std::string Expand(const std::string& text, const MacroInputs& inputs,
                   MacroContext context = MacroContext::kDomainSpec) {
  std::string error;
  auto macro = MacroString::Parse(text, context, &error);
  EXPECT_TRUE(macro) << text << ": " << error;
  return macro ? macro->Expand(inputs) : "<parse error>";
}

TEST(SpfMacro, Rfc7208Section74Examples) {
  Rfc74 rfc;
  const MacroInputs v4 = rfc.Inputs(&rfc.v4);
  const MacroInputs v6 = rfc.Inputs(&rfc.v6);
  struct Case {
    const char* macro;
    const MacroInputs* inputs;
    const char* want;
  } cases[] = {
      {"%{s}", &v4, "strong-bad@email.example.com"},
      {"%{o}", &v4, "email.example.com"},
      {"%{d}", &v4, "email.example.com"},
      {"%{d4}", &v4, "email.example.com"},
      {"%{d3}", &v4, "email.example.com"},
      {"%{d2}", &v4, "example.com"},
      {"%{d1}", &v4, "com"},
      {"%{dr}", &v4, "com.example.email"},
      {"%{d2r}", &v4, "example.email"},
      {"%{l}", &v4, "strong-bad"},
      {"%{l-}", &v4, "strong.bad"},
      {"%{lr}", &v4, "strong-bad"},
      {"%{lr-}", &v4, "bad.strong"},
      {"%{l1r-}", &v4, "strong"},
      {"%{ir}.%{v}._spf.%{d2}", &v4, "3.2.0.192.in-addr._spf.example.com"},
      {"%{lr-}.lp._spf.%{d2}", &v4, "bad.strong.lp._spf.example.com"},
      {"%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", &v4, "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
      {"%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", &v4, "3.2.0.192.in-addr.strong.lp._spf.example.com"},
      {"%{d2}.trusted-domains.example.net", &v4, "example.com.trusted-domains.example.net"},
      {"%{ir}.%{v}._spf.%{d2}", &v6,
       "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Expand(c.macro, *c.inputs), c.want) << "macro " << c.macro;
  }
}

TEST(SpfMacro, EveryLetterAndEscape) {
  Rfc74 rfc;
  const MacroInputs v4 = rfc.Inputs(&rfc.v4);
  const MacroInputs v6 = rfc.Inputs(&rfc.v6);
  struct Case {
    const char* macro;
    const MacroInputs* inputs;
    MacroContext context;
    const char* want;
  } cases[] = {
      // 7.3: upper case = URL-escaped (RFC 3986 unreserved kept).
      {"%{S}", &v4, MacroContext::kDomainSpec, "strong-bad%40email.example.com"},
      {"%{L}", &v4, MacroContext::kDomainSpec, "strong-bad"},
      {"%{i}", &v4, MacroContext::kDomainSpec, "192.0.2.3"},
      {"%{I}", &v4, MacroContext::kDomainSpec, "192.0.2.3"},
      {"%{i}", &v6, MacroContext::kDomainSpec,
       "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1"},
      {"%{v}", &v4, MacroContext::kDomainSpec, "in-addr"},
      {"%{v}", &v6, MacroContext::kDomainSpec, "ip6"},
      {"%{h}", &v4, MacroContext::kDomainSpec, "mx.example.org"},
      {"%{p}", &v4, MacroContext::kDomainSpec, "mx.example.org"},
      // 7.2: c, r, t in explanations.
      {"%{c}", &v4, MacroContext::kExplainString, "192.0.2.3"},
      {"%{c}", &v6, MacroContext::kExplainString, "2001:db8::cb01"},
      {"%{r}", &v4, MacroContext::kExplainString, "receiver.example.net"},
      {"%{t}", &v4, MacroContext::kExplainString, "1700000000"},
      // 7.1 escapes.
      {"a%%b.example.com", &v4, MacroContext::kDomainSpec, "a%b.example.com"},
      {"a%_b", &v4, MacroContext::kExplainString, "a b"},
      {"a%-b", &v4, MacroContext::kExplainString, "a%20b"},
      {"You are %{s}, from %{C}", &v6, MacroContext::kExplainString,
       "You are strong-bad@email.example.com, from 2001%3Adb8%3A%3Acb01"},
      // Several delimiters, upper-case R, more parts than there are.
      {"%{l-+}", &v4, MacroContext::kDomainSpec, "strong.bad"},
      {"%{dR}", &v4, MacroContext::kDomainSpec, "com.example.email"},
      {"%{d99}", &v4, MacroContext::kDomainSpec, "email.example.com"},
      {"%{d01}", &v4, MacroContext::kDomainSpec, "com"},
      {"%{o=}", &v4, MacroContext::kDomainSpec, "email.example.com"},
      {"%{o2=.}", &v4, MacroContext::kDomainSpec, "example.com"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Expand(c.macro, *c.inputs, c.context), c.want) << "macro " << c.macro;
  }
}

TEST(SpfMacro, SenderWithDelimitersSplitsIntoEmptyParts) {
  Rfc74 rfc;
  MacroInputs inputs = rfc.Inputs(&rfc.v4);
  inputs.local_part = "a--b";
  // Two adjacent delimiters leave an empty part between them.
  EXPECT_EQ(Expand("%{l-}", inputs), "a..b");
  EXPECT_EQ(Expand("%{l1-}", inputs), "b");
}

TEST(SpfMacro, SyntaxErrorsTable) {
  struct Case {
    const char* text;
    MacroContext context;
    const char* want_error;
  } cases[] = {
      {"%{x}.example.com", MacroContext::kDomainSpec, "unknown macro letter"},
      {"%{d0}.example.com", MacroContext::kDomainSpec, "transformer 0"},
      {"%{d00}.example.com", MacroContext::kDomainSpec, "transformer 0"},
      {"%{c}.example.com", MacroContext::kDomainSpec, "only in explanations"},
      {"%{r}.example.com", MacroContext::kDomainSpec, "only in explanations"},
      {"%{t}.example.com", MacroContext::kDomainSpec, "only in explanations"},
      {"%(ir).example.com", MacroContext::kDomainSpec, "not followed by"},
      {"example.com%", MacroContext::kDomainSpec, "at the end"},
      {"%{d", MacroContext::kDomainSpec, "malformed macro"},
      {"%{", MacroContext::kDomainSpec, "unterminated"},
      {"%{dr2}.example.com", MacroContext::kDomainSpec, "malformed macro"},
      {"%{d2r:}.example.com", MacroContext::kDomainSpec, "malformed macro"},
      {"%{s=@}.example.com", MacroContext::kDomainSpec, "malformed macro"},
      {"a b.example.com", MacroContext::kDomainSpec, "space"},
      {"a\x01.example.com", MacroContext::kDomainSpec, "visible ASCII"},
      {"caf\xc3\xa9.example.com", MacroContext::kDomainSpec, "visible ASCII"},
      {"explanation\twith tab", MacroContext::kExplainString, "visible ASCII"},
      // 7.1 domain-end = ( "." toplabel [ "." ] ) / macro-expand
      {"", MacroContext::kDomainSpec, "empty"},
      {"example", MacroContext::kDomainSpec, "does not end"},
      {"example.123", MacroContext::kDomainSpec, "does not end"},
      {"example.com..", MacroContext::kDomainSpec, "does not end"},
      {"example.-com", MacroContext::kDomainSpec, "does not end"},
      {"example.com-", MacroContext::kDomainSpec, "does not end"},
      {"%{d}.", MacroContext::kDomainSpec, "does not end"},
      {"%{d}com", MacroContext::kDomainSpec, "does not end"},
      {"example.com:8080", MacroContext::kDomainSpec, "does not end"},
      {"foo.%%com", MacroContext::kDomainSpec, "does not end"},
  };
  for (const Case& c : cases) {
    std::string error;
    auto macro = MacroString::Parse(c.text, c.context, &error);
    EXPECT_FALSE(macro) << "'" << c.text << "' parsed";
    EXPECT_NE(error.find(c.want_error), std::string::npos)
        << "'" << c.text << "': got error '" << error << "', want '" << c.want_error << "'";
  }
}

TEST(SpfMacro, ValidDomainEnds) {
  for (const char* text :
       {"example.com", "example.com.", "%{d}", "%{d}.com", "foo.1-2", "foo.a1", "foo.1a", ".com",
        "a.b.c.xn--p1ai", "%{ir}.%{v}._spf.%{d2}", "foo%%", "foo%-", "foo%_"}) {
    std::string error;
    EXPECT_TRUE(MacroString::Parse(text, MacroContext::kDomainSpec, &error))
        << text << ": " << error;
  }
  // Unknown modifiers take any macro-string, even c, r, t and no domain-end.
  std::string error;
  EXPECT_TRUE(MacroString::Parse("%{c}%{t}nodot", MacroContext::kModifierValue, &error)) << error;
  EXPECT_TRUE(MacroString::Parse("", MacroContext::kModifierValue, &error)) << error;
}

TEST(SpfMacro, FlagsForLiteralAndValidatedName) {
  std::string error;
  auto literal = MacroString::Parse("_spf.example.com", MacroContext::kDomainSpec, &error);
  ASSERT_TRUE(literal);
  EXPECT_TRUE(literal->is_literal());
  EXPECT_FALSE(literal->uses_validated_name());
  auto with_p = MacroString::Parse("%{p}.example.com", MacroContext::kDomainSpec, &error);
  ASSERT_TRUE(with_p);
  EXPECT_FALSE(with_p->is_literal());
  EXPECT_TRUE(with_p->uses_validated_name());
  auto upper_p = MacroString::Parse("%{P2r}.example.com", MacroContext::kDomainSpec, &error);
  ASSERT_TRUE(upper_p);
  EXPECT_TRUE(upper_p->uses_validated_name());
}

// RFC 7208 7.3: over 253 characters, labels go from the left. The bounded
// expansion must give exactly what the unbounded one would.
TEST(SpfMacro, LongExpansionsAreTruncatedPerSection73) {
  Rfc74 rfc;
  struct Case {
    const char* name;
    std::string local_part;
    int repeats;
  } cases[] = {
      {"short labels", "a.b.c.d.e.f.g.h", 40},
      {"63-char labels", std::string(63, 'x') + "." + std::string(63, 'y'), 30},
      {"single 40-char label per macro", std::string(40, 'z'), 100},
  };
  for (const Case& c : cases) {
    MacroInputs inputs = rfc.Inputs(&rfc.v6);
    inputs.local_part = c.local_part;
    std::string spec;
    std::string naive;
    for (int i = 0; i < c.repeats; ++i) {
      spec += "%{l}.";
      naive += c.local_part + ".";
    }
    spec += "example.com";
    naive += "example.com";
    TruncateDomain(&naive);
    const std::string got = Expand(spec, inputs);
    EXPECT_EQ(got, naive) << c.name;
    EXPECT_LE(got.size(), kMaxDomainLength) << c.name;
  }
}

TEST(SpfMacro, ManyAddressMacrosStayBounded) {
  Rfc74 rfc;
  const MacroInputs inputs = rfc.Inputs(&rfc.v6);
  std::string spec;
  std::string naive;
  std::string nibbles = Expand("%{i}", inputs);
  for (int i = 0; i < 500; ++i) {
    spec += "%{i}";
    naive += nibbles;
  }
  spec += ".example.com";
  naive += ".example.com";
  TruncateDomain(&naive);
  EXPECT_EQ(Expand(spec, inputs), naive);
  EXPECT_LE(naive.size(), kMaxDomainLength);
}

TEST(SpfMacro, OverlongLabelThatCannotBeDroppedGivesNoName) {
  Rfc74 rfc;
  MacroInputs inputs = rfc.Inputs(&rfc.v4);
  const std::string long_label(600, 'q');
  inputs.local_part = long_label;
  // Two 600-char labels glued together with no dot: nothing can make it fit.
  EXPECT_EQ(Expand("%{l}%{l}", inputs), "");
  // The same followed by a dot and a name: the long label is dropped.
  EXPECT_EQ(Expand("%{l}%{l}.example.com", inputs), "example.com");
}

TEST(SpfMacro, ExplanationIsCutAtTheOutputBound) {
  Rfc74 rfc;
  const MacroInputs inputs = rfc.Inputs(&rfc.v4);
  std::string spec;
  for (int i = 0; i < 200; ++i) spec += "%{s} ";
  const std::string got = Expand(spec, inputs, MacroContext::kExplainString);
  EXPECT_EQ(got.size(), kMaxMacroOutput);
  EXPECT_EQ(got.substr(0, 29), "strong-bad@email.example.com ");
}

}  // namespace
}  // namespace portcullis::spf
