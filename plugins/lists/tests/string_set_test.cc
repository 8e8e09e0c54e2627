#include "string_set.h"

#include <gtest/gtest.h>

#include <string>

namespace portcullis::lists {
namespace {

TEST(ListsStringSet, InsertAndContains) {
  StringSet set;
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(set.Contains("example.org"));
  EXPECT_EQ(set.Insert("example.org"), StringSet::InsertResult::kAdded);
  EXPECT_EQ(set.Insert("example.org"), StringSet::InsertResult::kDuplicate);
  EXPECT_EQ(set.Insert(""), StringSet::InsertResult::kTooLarge);
  EXPECT_EQ(set.Insert(std::string(StringSet::kMaxStringBytes + 1, 'a')),
            StringSet::InsertResult::kTooLarge);
  EXPECT_EQ(set.size(), 1u);
  struct Case {
    const char* probe;
    bool want;
  } cases[] = {
      {"example.org", true}, {"Example.org", false}, {"example.or", false}, {"xexample.org", false},
      {"", false},
  };
  for (const Case& c : cases) EXPECT_EQ(set.Contains(c.probe), c.want) << "got probe " << c.probe;
}

TEST(ListsStringSet, GrowsAndKeepsEverything) {
  StringSet set;
  constexpr int kCount = 50000;
  for (int i = 0; i < kCount; ++i) set.Insert("host" + std::to_string(i) + ".example");
  set.Shrink();
  EXPECT_EQ(set.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(set.Contains("host" + std::to_string(i) + ".example")) << i;
    ASSERT_FALSE(set.Contains("host" + std::to_string(i) + ".exampl")) << i;
  }
  EXPECT_GT(set.MemoryBytes(), 0u);
}

}  // namespace
}  // namespace portcullis::lists
