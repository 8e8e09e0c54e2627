// The Public Suffix List algorithm (publicsuffix.org/list) and RFC 7489 3.2
// Organizational Domains: the PSL project's checkPublicSuffix cases against
// the system list, exact rule semantics against a small list, load errors,
// the process-wide system list.
#include "portcullis/public_suffix.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace portcullis {
namespace {

const char* const kSmallList = PORTCULLIS_MIME_TEST_DATA "/psl_small.dat";
const char* const kSystemList = PORTCULLIS_SYSTEM_PSL;

std::shared_ptr<const PublicSuffixList> LoadOrDie(const std::string& path,
                                                  PslSections sections = PslSections::kAll) {
  std::string error;
  auto list = PublicSuffixList::Load(path, sections, &error);
  EXPECT_TRUE(list) << error;
  return list;
}

std::string Show(const std::optional<std::string>& value) { return value ? *value : "(null)"; }

// tests/test_psl.txt of the publicsuffix/list project: checkPublicSuffix(d,
// want) where want is the registrable domain, or null. The IDN cases are
// given in A-label form (mail carries A-labels).
TEST(PublicSuffix, StandardCheckPublicSuffixCases) {
  std::ifstream probe(kSystemList);
  if (!probe) GTEST_SKIP() << kSystemList << " missing: apt-get install publicsuffix";
  auto list = LoadOrDie(kSystemList);
  ASSERT_TRUE(list);
  struct Case {
    const char* domain;
    const char* want;  // nullptr: null
  } cases[] = {
      // Mixed case.
      {"COM", nullptr},
      {"example.COM", "example.com"},
      {"WwW.example.COM", "example.com"},
      // Leading dot.
      {".com", nullptr},
      {".example", nullptr},
      {".example.com", nullptr},
      {".example.example", nullptr},
      // Unlisted TLD.
      {"example", nullptr},
      {"example.example", "example.example"},
      {"b.example.example", "example.example"},
      {"a.b.example.example", "example.example"},
      // TLD with only 1 rule.
      {"biz", nullptr},
      {"domain.biz", "domain.biz"},
      {"b.domain.biz", "domain.biz"},
      {"a.b.domain.biz", "domain.biz"},
      // TLD with some 2-level rules.
      {"com", nullptr},
      {"example.com", "example.com"},
      {"b.example.com", "example.com"},
      {"a.b.example.com", "example.com"},
      {"uk.com", nullptr},
      {"example.uk.com", "example.uk.com"},
      {"b.example.uk.com", "example.uk.com"},
      {"a.b.example.uk.com", "example.uk.com"},
      {"test.ac", "test.ac"},
      // TLD with only 1 (wildcard) rule.
      {"mm", nullptr},
      {"c.mm", nullptr},
      {"b.c.mm", "b.c.mm"},
      {"a.b.c.mm", "b.c.mm"},
      // More complex TLD.
      {"jp", nullptr},
      {"test.jp", "test.jp"},
      {"www.test.jp", "test.jp"},
      {"ac.jp", nullptr},
      {"test.ac.jp", "test.ac.jp"},
      {"www.test.ac.jp", "test.ac.jp"},
      {"kyoto.jp", nullptr},
      {"test.kyoto.jp", "test.kyoto.jp"},
      {"ide.kyoto.jp", nullptr},
      {"b.ide.kyoto.jp", "b.ide.kyoto.jp"},
      {"a.b.ide.kyoto.jp", "b.ide.kyoto.jp"},
      {"c.kobe.jp", nullptr},
      {"b.c.kobe.jp", "b.c.kobe.jp"},
      {"a.b.c.kobe.jp", "b.c.kobe.jp"},
      {"city.kobe.jp", "city.kobe.jp"},
      {"www.city.kobe.jp", "city.kobe.jp"},
      // TLD with a wildcard rule and exceptions.
      {"ck", nullptr},
      {"test.ck", nullptr},
      {"b.test.ck", "b.test.ck"},
      {"a.b.test.ck", "b.test.ck"},
      {"www.ck", "www.ck"},
      {"www.www.ck", "www.ck"},
      // US K12.
      {"us", nullptr},
      {"test.us", "test.us"},
      {"www.test.us", "test.us"},
      {"ak.us", nullptr},
      {"test.ak.us", "test.ak.us"},
      {"www.test.ak.us", "test.ak.us"},
      {"k12.ak.us", nullptr},
      {"test.k12.ak.us", "test.k12.ak.us"},
      {"www.test.k12.ak.us", "test.k12.ak.us"},
      // IDN labels, punycoded (食狮.公司.cn, 食狮.中国).
      {"xn--85x722f.com.cn", "xn--85x722f.com.cn"},
      {"xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"},
      {"www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"},
      {"shishi.xn--55qx5d.cn", "shishi.xn--55qx5d.cn"},
      {"xn--55qx5d.cn", nullptr},
      {"xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s"},
      {"www.xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s"},
      {"shishi.xn--fiqs8s", "shishi.xn--fiqs8s"},
      {"xn--fiqs8s", nullptr},
      // The same IDN cases in UTF-8 (RFC 6532 headers).
      {"食狮.公司.cn", "食狮.公司.cn"},
      {"www.食狮.公司.cn", "食狮.公司.cn"},
      {"公司.cn", nullptr},
      {"食狮.中国", "食狮.中国"},
      {"中国", nullptr},
  };
  for (const Case& c : cases) {
    const std::string want = c.want ? c.want : "(null)";
    EXPECT_EQ(Show(list->RegistrableDomain(c.domain)), want) << "domain " << c.domain;
  }
}

// RFC 7489 3.2 on the real list: multi-label and private-section suffixes.
TEST(PublicSuffix, OrganizationalDomainOnSystemList) {
  std::ifstream probe(kSystemList);
  if (!probe) GTEST_SKIP() << kSystemList << " missing: apt-get install publicsuffix";
  auto all = LoadOrDie(kSystemList, PslSections::kAll);
  auto icann = LoadOrDie(kSystemList, PslSections::kIcannOnly);
  ASSERT_TRUE(all && icann);
  struct Case {
    const char* domain;
    const char* want_all;
    const char* want_icann;
  } cases[] = {
      {"mail.example.co.uk", "example.co.uk", "example.co.uk"},
      {"co.uk", "co.uk", "co.uk"},                          // a suffix is its own org domain
      {"alice.github.io", "alice.github.io", "github.io"},  // PRIVATE section
      {"x.alice.github.io", "alice.github.io", "github.io"},
      {"Mail.Example.COM.", "example.com", "example.com"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(all->OrganizationalDomain(c.domain), c.want_all) << c.domain << " (all sections)";
    EXPECT_EQ(icann->OrganizationalDomain(c.domain), c.want_icann) << c.domain << " (ICANN)";
  }
  EXPECT_GT(icann->rule_count(), 5000u);
  EXPECT_GT(all->rule_count(), icann->rule_count());
}

TEST(PublicSuffix, ExactRuleSemanticsOnSmallList) {
  auto list = LoadOrDie(kSmallList);
  ASSERT_TRUE(list);
  struct Case {
    const char* domain;
    const char* want_suffix;
    const char* want_registrable;
  } cases[] = {
      {"example.com", "com", "example.com"},
      {"a.b.example.com", "com", "example.com"},
      {"com", "com", nullptr},
      // Implicit "*" rule: an unlisted TLD is a one-label suffix.
      {"foo.unlisted", "unlisted", "foo.unlisted"},
      {"unlisted", "unlisted", nullptr},
      // The longest matching rule prevails.
      {"x.co.uk", "co.uk", "x.co.uk"},
      {"co.uk", "co.uk", nullptr},
      {"other.uk", "uk", "other.uk"},
      // Wildcard: any one label; the exception cuts it back.
      {"wild", "wild", nullptr},
      {"x.wild", "x.wild", nullptr},
      {"y.x.wild", "x.wild", "y.x.wild"},
      {"keep.wild", "wild", "keep.wild"},
      {"www.keep.wild", "wild", "keep.wild"},
      // A rule whose parent is not a rule: b.deep is not a suffix.
      {"x.b.deep", "deep", "b.deep"},
      {"x.a.b.deep", "a.b.deep", "x.a.b.deep"},
      // Unicode rule, matched by A-label and by UTF-8.
      {"x.xn--55qx5d.cn", "xn--55qx5d.cn", "x.xn--55qx5d.cn"},
      {"x.公司.cn", "公司.cn", "x.公司.cn"},
      // Rules and names are case-insensitive; text after a space ignored.
      {"A.MIXED.case", "mixed.case", "a.mixed.case"},
      // PRIVATE section rules count by default.
      {"shop.hosted.com", "hosted.com", "shop.hosted.com"},
      // Not domain names.
      {"", nullptr, nullptr},
      {"a..com", nullptr, nullptr},
      {".", nullptr, nullptr},
  };
  for (const Case& c : cases) {
    const std::string want_suffix = c.want_suffix ? c.want_suffix : "(null)";
    const std::string want_registrable = c.want_registrable ? c.want_registrable : "(null)";
    EXPECT_EQ(Show(list->PublicSuffix(c.domain)), want_suffix) << "suffix of " << c.domain;
    EXPECT_EQ(Show(list->RegistrableDomain(c.domain)), want_registrable)
        << "registrable of " << c.domain;
  }
  auto icann = LoadOrDie(kSmallList, PslSections::kIcannOnly);
  ASSERT_TRUE(icann);
  EXPECT_EQ(Show(icann->RegistrableDomain("shop.hosted.com")), "hosted.com");
}

TEST(PublicSuffix, LoadErrorsNameFileAndLine) {
  struct Case {
    const char* name;
    const char* text;
    const char* want;  // substring of the error
  } cases[] = {
      {"wildcard inside", "com\n// c\na.*.com\n", "list:3: '*' is allowed only"},
      {"bang inside", "com\nfoo!bar.com\n", "list:2: '!' is allowed only"},
      {"empty label", "\n\na..com\n", "list:3: empty label"},
      {"one-label exception", "!com\n", "list:1: an exception rule needs"},
      {"bad utf-8", "\xff\xfe.cn\n", "list:1: label is not valid UTF-8"},
      {"no rules", "// only comments\n\n", "list: no rules"},
  };
  for (const Case& c : cases) {
    std::string error;
    auto list = PublicSuffixList::Parse(c.text, "list", PslSections::kAll, &error);
    EXPECT_FALSE(list) << c.name;
    EXPECT_NE(error.find(c.want), std::string::npos) << c.name << ": got '" << error << "'";
  }
  std::string error;
  EXPECT_FALSE(PublicSuffixList::Load("/nonexistent/psl.dat", PslSections::kAll, &error));
  EXPECT_NE(error.find("/nonexistent/psl.dat: cannot open"), std::string::npos) << error;
}

// RFC 3492 7.1 sample strings and the list's own A-label comments.
TEST(PublicSuffix, PunycodeALabels) {
  struct Case {
    const char* label;
    const char* want;
  } cases[] = {
      {"公司", "xn--55qx5d"},
      {"中国", "xn--fiqs8s"},
      {"食狮", "xn--85x722f"},
      {"bücher", "xn--bcher-kva"},
      {"München", "xn--mnchen-3ya"},
      {"ASCII", "ascii"},
      {"ليهمابتكلموشعربي؟", "xn--egbpdaj6bu4bxfgehfvwxn"},
  };
  for (const Case& c : cases) EXPECT_EQ(Show(ToALabel(c.label)), c.want) << c.label;
  EXPECT_FALSE(ToALabel("\xc3"));          // truncated sequence
  EXPECT_FALSE(ToALabel("\xc0\xaf"));      // overlong "/"
  EXPECT_FALSE(ToALabel("\xed\xa0\x80"));  // surrogate
}

TEST(PublicSuffix, SystemListIsSharedAndLoadedOnce) {
  std::ifstream probe(kSystemList);
  if (!probe) GTEST_SKIP() << kSystemList << " missing: apt-get install publicsuffix";
  std::string error;
  auto first = SystemPublicSuffixList(&error);
  ASSERT_TRUE(first) << error;
  auto second = SystemPublicSuffixList(nullptr);
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(Show(first->RegistrableDomain("www.example.co.uk")), "example.co.uk");
}

}  // namespace
}  // namespace portcullis
