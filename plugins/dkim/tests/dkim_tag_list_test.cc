// RFC 6376 3.2 tag lists and strict base64: tables of input, want.
#include "dkim_tag_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portcullis::dkim {
namespace {

struct TagCase {
  std::string input;
  bool ok;
  std::vector<std::pair<std::string, std::string>> want;  // name, value
};

TEST(TagList, Table) {
  const std::vector<TagCase> cases = {
      {"a=b", true, {{"a", "b"}}},
      {"a=b;", true, {{"a", "b"}}},
      {"a=b; ", true, {{"a", "b"}}},
      {"  a = b ;c=d", true, {{"a", "b"}, {"c", "d"}}},
      // Folds as the MTA delivers them (bare "\n") and as on the wire.
      {"a=b;\n\tc=d e\n f", true, {{"a", "b"}, {"c", "d e\n f"}}},
      {"a=b;\r\n c=d", true, {{"a", "b"}, {"c", "d"}}},
      {"a=", true, {{"a", ""}}},
      {"a_1=x", true, {{"a_1", "x"}}},
      {"", true, {}},
      {"a=b;a=c", false, {}},  // duplicate: the whole list is invalid
      {"=b", false, {}},
      {"1a=b", false, {}},
      {"a b=c", false, {}},
      {"a", false, {}},
      {"a=b;;c=d", false, {}},
      {"a=\x01", false, {}},
      {"a=\xc3\xa9", false, {}},  // 8-bit is not VALCHAR
  };
  for (const TagCase& c : cases) {
    std::string error;
    auto list = ParseTagList(c.input, &error);
    EXPECT_EQ(list.has_value(), c.ok) << "input '" << c.input << "': got error '" << error << "'";
    if (!list || !c.ok) continue;
    ASSERT_EQ(list->tags.size(), c.want.size()) << c.input;
    for (size_t i = 0; i < c.want.size(); ++i) {
      EXPECT_EQ(list->tags[i].name, c.want[i].first) << c.input;
      EXPECT_EQ(list->tags[i].value, c.want[i].second) << c.input;
    }
  }
}

TEST(TagList, RawValueSpanCoversSurroundingWhitespace) {
  const std::string text = "a=1; b = xy z ;c=2";
  std::string error;
  auto list = ParseTagList(text, &error);
  ASSERT_TRUE(list);
  const Tag* b = list->Find("b");
  ASSERT_TRUE(b);
  EXPECT_EQ(text.substr(b->value_begin, b->value_end - b->value_begin), " xy z ");
}

TEST(TagList, TooManyTags) {
  std::string text;
  for (size_t i = 0; i <= kMaxTags; ++i) text += "t" + std::to_string(i) + "=x;";
  std::string error;
  EXPECT_FALSE(ParseTagList(text, &error));
  EXPECT_NE(error.find("more than"), std::string::npos) << error;
}

TEST(Base64, Table) {
  struct Case {
    std::string input;
    bool ok;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"", true, ""},
      {"Zg==", true, "f"},
      {"Zm8=", true, "fo"},
      {"Zm9v", true, "foo"},
      {"Zm9v\n YmFy", true, "foobar"},  // FWS inside is allowed (3.5 b=)
      {"Zm9", false, ""},
      {"Zg=", false, ""},
      {"Z===", false, ""},
      {"Zg==Zg==", false, ""},  // padding in the middle
      {"Zm9*", false, ""},
      {"Zm=v", false, ""},
  };
  for (const Case& c : cases) {
    auto got = DecodeBase64(c.input);
    EXPECT_EQ(got.has_value(), c.ok) << c.input;
    if (got && c.ok) {
      EXPECT_EQ(*got, c.want) << c.input;
    }
  }
}

}  // namespace
}  // namespace portcullis::dkim
