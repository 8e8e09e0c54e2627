// Tables for the small pure pieces: reply normalisation, the
// Authentication-Results id test, stored-message splitting, IP parsing, JSON.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/auth_results.h"
#include "pipeline/report.h"
#include "portcullis/ip_address.h"
#include "util/json_writer.h"
#include "util/message_file.h"

namespace portcullis {
namespace {

TEST(NormaliseReplyTest, Table) {
  struct Case {
    Action action;
    std::string code, xcode, text;
    bool want_ok;
    std::string want_code, want_xcode, want_text;
  };
  const Case cases[] = {
      {Action::kReject, "", "", "", true, "550", "5.7.1", "Message rejected by policy"},
      {Action::kTempfail, "", "", "", true, "451", "4.7.1", "Try again later"},
      {Action::kReject, "554", "5.7.0", "go away", true, "554", "5.7.0", "go away"},
      {Action::kReject, "450", "", "x", false, "550", "5.7.1", "x"},
      {Action::kTempfail, "550", "", "x", false, "451", "4.7.1", "x"},
      {Action::kReject, "55", "", "x", false, "550", "5.7.1", "x"},
      {Action::kReject, "550", "4.7.1", "x", false, "550", "5.7.1", "x"},
      {Action::kReject, "550", "5.7.1234", "x", false, "550", "5.7.1", "x"},
      {Action::kReject, "550", "5.7", "x", false, "550", "5.7.1", "x"},
      {Action::kReject, "550", "5.7.1", "a\r\nb\0c", true, "550", "5.7.1", "a  b"},
      {Action::kReject, "550", "5.7.1", std::string(1000, 'y'), true, "550", "5.7.1",
       std::string(400, 'y')},
  };
  for (const Case& c : cases) {
    std::string code = c.code, xcode = c.xcode, text = c.text;
    EXPECT_EQ(NormaliseReply(c.action, &code, &xcode, &text), c.want_ok) << c.code << c.xcode;
    EXPECT_EQ(code, c.want_code);
    EXPECT_EQ(xcode, c.want_xcode);
    EXPECT_EQ(text, c.want_text);
  }
}

TEST(AuthResultsTest, ClaimsIdTable) {
  struct Case {
    const char* value;
    bool want;
  };
  for (Case c : {Case{" mx.test; spf=pass", true}, Case{"mx.test;spf=pass", true},
                 Case{" MX.Test; none", true}, Case{" (comment) mx.test; none", true},
                 Case{" (nested (comment)) mx.test 1; none", true},
                 Case{" \"mx.test\"; none", true}, Case{"\n\tmx.test;\n\tspf=pass", true},
                 Case{" mx.test.evil; none", false}, Case{" evil.mx.test; none", false},
                 Case{" other; spf=pass (mx.test)", false}, Case{"", false},
                 Case{" (unterminated mx.test; none", false}}) {
    EXPECT_EQ(AuthResultsClaimsId(c.value, "mx.test"), c.want) << c.value;
  }
}

TEST(AuthResultsTest, BuildsNoneWhenNothingRan) {
  EXPECT_EQ(BuildAuthResults("mx.test", {}), "mx.test; none");
  CheckResult spf;
  spf.auth_results = {"spf=pass smtp.mailfrom=a.example"};
  CheckResult dkim;
  dkim.auth_results = {"dkim=pass header.d=a.example"};
  EXPECT_EQ(BuildAuthResults("mx.test", {spf, dkim}),
            "mx.test;\n\tspf=pass smtp.mailfrom=a.example;\n\tdkim=pass header.d=a.example");
}

TEST(MessageFileTest, SplitsLikeAnMta) {
  MessageParts parts = SplitMessageFile(
      "From: a@example.org\nSubject: hello\n  folded\tmore\nX-Empty:\n\nline 1\nline 2\r\n");
  ASSERT_EQ(parts.headers.size(), 3u);
  EXPECT_EQ(parts.headers[0].name, "From");
  EXPECT_EQ(parts.headers[0].value, " a@example.org");
  EXPECT_EQ(parts.headers[1].value, " hello\n  folded\tmore");
  EXPECT_EQ(parts.headers[2].value, "");
  EXPECT_EQ(parts.body, "line 1\r\nline 2\r\n");
  EXPECT_FALSE(parts.header_block_malformed);
}

TEST(MessageFileTest, MalformedHeaderBlockBecomesBody) {
  MessageParts parts = SplitMessageFile("From: a@b\r\nthis is not a header\r\nx\r\n");
  EXPECT_TRUE(parts.header_block_malformed);
  ASSERT_EQ(parts.headers.size(), 1u);
  EXPECT_EQ(parts.body, "this is not a header\r\nx\r\n");
}

TEST(MessageFileTest, OnlyValidFieldNamesAreHeaders) {
  struct Case {
    const char* raw;
    size_t headers;
    bool malformed;
  };
  for (Case c : {Case{"A\rB: x\r\n\r\nbody\r\n", 0, true},  // CR inside a name
                 Case{"N\x01: x\n\nb\n", 0, true},             // control character
                 Case{"Sp ace: x\n\nb\n", 0, true},             // space inside a name
                 Case{": empty\n\nb\n", 0, true},
                 Case{"Subject : obsolete\n\nb\n", 1, false}}) {  // RFC 5322 4.5.4
    MessageParts parts = SplitMessageFile(c.raw);
    EXPECT_EQ(parts.headers.size(), c.headers) << c.raw;
    EXPECT_EQ(parts.header_block_malformed, c.malformed) << c.raw;
  }
}

TEST(IpAddressTest, ParseTable) {
  struct Case {
    const char* text;
    bool valid;
    const char* canonical;
  };
  for (Case c : {Case{"192.0.2.1", true, "192.0.2.1"}, Case{"2001:DB8::1", true, "2001:db8::1"},
                 Case{"[2001:db8::1]", true, "2001:db8::1"},
                 Case{"IPv6:2001:db8::1", true, "2001:db8::1"},
                 Case{"::ffff:192.0.2.1", true, "::ffff:192.0.2.1"}, Case{"1.2.3", false, ""},
                 Case{"256.1.1.1", false, ""}, Case{"", false, ""}, Case{"example.org", false, ""}}) {
    auto ip = IpAddress::Parse(c.text);
    ASSERT_EQ(ip.has_value(), c.valid) << c.text;
    if (ip) {
      EXPECT_EQ(ip->ToString(), c.canonical);
    }
  }
  EXPECT_EQ(IpAddress::Parse("::ffff:192.0.2.1")->UnmapV4()->ToString(), "192.0.2.1");
}

TEST(IpNetworkTest, ContainsTable) {
  struct Case {
    const char* network;
    const char* address;
    bool want;
  };
  for (Case c : {Case{"192.0.2.0/24", "192.0.2.255", true}, Case{"192.0.2.0/24", "192.0.3.0", false},
                 Case{"0.0.0.0/0", "203.0.113.9", true}, Case{"192.0.2.1", "192.0.2.1", true},
                 Case{"192.0.2.1/32", "192.0.2.2", false}, Case{"2001:db8::/32", "2001:db8:ffff::1", true},
                 Case{"2001:db8::/32", "2001:db9::1", false}, Case{"192.0.2.0/24", "2001:db8::1", false}}) {
    auto network = IpNetwork::Parse(c.network);
    ASSERT_TRUE(network) << c.network;
    EXPECT_EQ(network->Contains(*IpAddress::Parse(c.address)), c.want) << c.network << " " << c.address;
  }
  for (const char* bad : {"192.0.2.0/33", "2001:db8::/129", "192.0.2.0/", "192.0.2.0/-1", "x/8"}) {
    EXPECT_FALSE(IpNetwork::Parse(bad)) << bad;
  }
}

TEST(JsonWriterTest, EscapesEverythingUnsafe) {
  EXPECT_EQ(JsonString("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(JsonString("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(JsonString("bad\xff"), "\"bad\\u00ff\"");
}

}  // namespace
}  // namespace portcullis
