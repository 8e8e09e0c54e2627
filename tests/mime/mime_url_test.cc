// URL and e-mail extraction: schemes and de-obfuscation, IP literal forms,
// host validation, trailing punctuation, URLs split across chunks,
// deduplication and the max_urls limit.
#include <gtest/gtest.h>

#include "mime/url_extractor.h"
#include "mime/url_parse.h"
#include "recording_sink.h"

namespace portcullis::mime {
namespace {

using testing::RecordingSink;

std::shared_ptr<const PublicSuffixList> SmallList() {
  std::string error;
  auto list =
      PublicSuffixList::Load(PORTCULLIS_MIME_TEST_DATA "/psl_small.dat", PslSections::kAll, &error);
  EXPECT_TRUE(list) << error;
  return list;
}

// "text|host|flags" per URL found, flags: i ip, o obfuscated.
std::vector<std::string> Extract(const std::string& text, size_t piece = 0, int max_urls = 100) {
  RecordingSink sink;
  auto psl = SmallList();
  UrlExtractor extractor(&sink, max_urls, psl.get());
  if (piece == 0) piece = text.size() + 1;
  for (size_t i = 0; i < text.size(); i += piece) {
    extractor.Text(std::string_view(text).substr(i, piece), Url::Source::kText);
  }
  extractor.EndText();
  std::vector<std::string> got;
  for (const Url& u : sink.urls) {
    got.push_back(u.text + "|" + u.scheme + "|" + u.host + "|" + u.registered_domain + "|" +
                  (u.host_is_ip ? "i" : "") + (u.obfuscated ? "o" : ""));
  }
  for (const EmailAddress& e : sink.emails)
    got.push_back("email " + e.address + "|" + e.registered_domain);
  return got;
}

TEST(MimeUrlExtractor, FindsAndNormalises) {
  struct Case {
    const char* text;
    std::vector<std::string> want;
  } cases[] = {
      {"go to http://Example.COM/Path?q=1.",
       {"http://Example.COM/Path?q=1|http|example.com|example.com|"}},
      {"https://a.b.example.co.uk:8443/x",
       {"https://a.b.example.co.uk:8443/x|https|a.b.example.co.uk|example.co.uk|"}},
      {"ftp://files.example.org/f",
       {"ftp://files.example.org/f|ftp|files.example.org|example.org|"}},
      {"see www.example.net/page, ok", {"www.example.net/page|http|www.example.net|example.net|"}},
      {"(http://x.example/a_(b)) end", {"http://x.example/a_(b)|http|x.example|x.example|"}},
      {"\"http://q.example/\"", {"http://q.example/|http|q.example|q.example|"}},
      {"<http://angle.example/>", {"http://angle.example/|http|angle.example|angle.example|"}},
      // De-obfuscation.
      {"hxxp://evil[.]example/x", {"http://evil.example/x|http|evil.example|evil.example|o"}},
      {"hXXps://a(.)b[dot]example", {"https://a.b.example|https|a.b.example|b.example|o"}},
      {"h**p://c{.}example", {"http://c.example|http|c.example|c.example|o"}},
      {"http[:]//d.example/", {"http://d.example/|http|d.example|d.example|o"}},
      // IP literals.
      {"http://3221225985/", {"http://3221225985/|http|192.0.2.1||i"}},
      {"http://0xC0.0.2.1/", {"http://0xC0.0.2.1/|http|192.0.2.1||i"}},
      {"http://0300.0.02.01/", {"http://0300.0.02.01/|http|192.0.2.1||i"}},
      {"http://192.0.513/", {"http://192.0.513/|http|192.0.2.1||i"}},
      {"http://[2001:DB8:0:0::1]:80/", {"http://[2001:DB8:0:0::1]:80/|http|2001:db8::1||i"}},
      {"http://192.0.2.1./", {"http://192.0.2.1./|http|192.0.2.1||i"}},
      // Percent-encoded host, userinfo.
      {"http://%65x%2Eexample/", {"http://%65x%2Eexample/|http|ex.example|ex.example|"}},
      {"http://bank.example@198.51.100.1/",
       {"http://bank.example@198.51.100.1/|http|198.51.100.1||i"}},
      // IDN host as A-labels.
      {"http://b\xc3\xbc"
       "cher.example/",
       {"http://b\xc3\xbc"
        "cher.example/|http|xn--bcher-kva.example|xn--bcher-kva.example|"}},
      // Not URLs.
      {"http://1.2.3.999/ http://256.0.0.1/ http://localhost/ http://a.123/ http://-/", {}},
      {"javascript://x.example/ mailto: wwwexample.com", {}},
      // Two glued together.
      {"http://a.example/http://b.example/",
       {"http://a.example/|http|a.example|a.example|",
        "http://b.example/|http|b.example|b.example|"}},
      // Dedup by scheme, host and rest.
      {"http://dup.example/x HTTP://DUP.example/x http://dup.example/y",
       {"http://dup.example/x|http|dup.example|dup.example|",
        "http://dup.example/y|http|dup.example|dup.example|"}},
      // E-mail addresses.
      {"mail John.Doe+x@Sub.Example.CO.UK.", {"email John.Doe+x@sub.example.co.uk|example.co.uk"}},
      {"a@b a@localhost @x.example x@1.2.3.4", {}},
      {"mailto:Info@Shop.example?subject=hi",
       {"mailto:Info@Shop.example?subject=hi|mailto|shop.example|shop.example|",
        "email Info@shop.example|shop.example"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Extract(c.text), c.want) << c.text;
    // A URL split across chunks is found all the same.
    for (size_t piece : {1u, 3u, 8u})
      EXPECT_EQ(Extract(c.text, piece), c.want) << c.text << " piece " << piece;
  }
}

TEST(MimeUrlExtractor, LimitAndTargets) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "http://h" + std::to_string(i) + ".example/ ";
  EXPECT_EQ(Extract(text, 0, 10).size(), 10u);

  RecordingSink sink;
  UrlExtractor extractor(&sink, 100, nullptr);
  extractor.Target("https://t.example/a", Url::Source::kHtmlHref);
  extractor.Target("//proto.example/x", Url::Source::kHtmlHref);
  extractor.Target("/relative/path", Url::Source::kHtmlHref);
  extractor.Target("javascript:alert(1)", Url::Source::kHtmlHref);
  extractor.Target("cid:part1@x", Url::Source::kHtmlHref);
  extractor.Target("mailto:a@m.example", Url::Source::kHtmlHref);
  ASSERT_EQ(sink.urls.size(), 3u);
  EXPECT_EQ(sink.urls[0].host, "t.example");
  EXPECT_EQ(sink.urls[0].registered_domain, "");  // no PSL given
  EXPECT_EQ(sink.urls[1].host, "proto.example");
  EXPECT_EQ(sink.urls[2].scheme, "mailto");
  EXPECT_EQ(sink.urls[0].source, Url::Source::kHtmlHref);
  ASSERT_EQ(sink.emails.size(), 1u);
  EXPECT_FALSE(extractor.limit_hit());
}

TEST(MimeUrlParse, Ipv4Forms) {
  struct Case {
    const char* host;
    const char* want;  // nullptr: not an IPv4 address
    bool invalid;
  } cases[] = {
      {"192.0.2.1", "192.0.2.1", false},  {"3221225985", "192.0.2.1", false},
      {"0xc0000201", "192.0.2.1", false}, {"0300.0.2.1", "192.0.2.1", false},
      {"192.0.2.1.", "192.0.2.1", false}, {"1.2.3.256", nullptr, true},
      {"4294967296", nullptr, true},      {"09.1.1.1", nullptr, true},
      {"example.com", nullptr, false},    {"1.2.3.4.5", nullptr, true},  // WHATWG: > 4 parts
  };
  for (const Case& c : cases) {
    bool invalid = false;
    auto got = ParseIpv4Forms(c.host, &invalid);
    EXPECT_EQ(got.value_or("(none)"), c.want ? c.want : "(none)") << c.host;
    EXPECT_EQ(invalid, c.invalid) << c.host;
  }
}

}  // namespace
}  // namespace portcullis::mime
