#include "spf_record_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace portcullis::spf {
namespace {

TEST(SpfRecordCache, HitsMissesAndErrorsAreCached) {
  RecordCache cache;
  auto first = cache.Get("v=spf1 -all");
  auto second = cache.Get("v=spf1 -all");
  EXPECT_EQ(first, second);  // the same parsed object
  ASSERT_TRUE(first->record);
  auto broken = cache.Get("v=spf1 bogus");
  EXPECT_FALSE(broken->record);
  EXPECT_EQ(cache.Get("v=spf1 bogus"), broken);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.hits(), 2u);
  EXPECT_EQ(cache.misses(), 2u);
}

TEST(SpfRecordCache, EntryBoundEvictsOldest) {
  RecordCache cache(/*max_entries=*/3, /*max_bytes=*/1 << 20);
  for (int i = 0; i < 5; ++i) cache.Get("v=spf1 ip4:192.0.2." + std::to_string(i) + " -all");
  EXPECT_EQ(cache.size(), 3u);
  const size_t misses = cache.misses();
  cache.Get("v=spf1 ip4:192.0.2.4 -all");  // newest: still there
  EXPECT_EQ(cache.misses(), misses);
  cache.Get("v=spf1 ip4:192.0.2.0 -all");  // oldest: evicted
  EXPECT_EQ(cache.misses(), misses + 1);
}

TEST(SpfRecordCache, ByteBoundAndHugeRecords) {
  RecordCache cache(/*max_entries=*/1000, /*max_bytes=*/4096);
  for (int i = 0; i < 100; ++i) cache.Get("v=spf1 ip4:192.0.2." + std::to_string(i) + " -all");
  EXPECT_LT(cache.size(), 100u);
  EXPECT_GT(cache.size(), 0u);
  RecordCache big;
  std::string huge = "v=spf1";
  while (huge.size() <= kRecordCacheMaxRecordBytes) huge += " ip4:192.0.2.1";
  EXPECT_TRUE(big.Get(huge)->record);
  EXPECT_EQ(big.size(), 0u);  // parsed, not kept
}

TEST(SpfRecordCache, ConcurrentUse) {
  RecordCache cache(/*max_entries=*/50, /*max_bytes=*/1 << 20);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        auto parsed = cache.Get("v=spf1 ip4:10.0." + std::to_string((i * 7 + t) % 80) + ".1 -all");
        ASSERT_TRUE(parsed->record);
        ASSERT_EQ(parsed->record->directives.size(), 2u);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE(cache.size(), 50u);
}

}  // namespace
}  // namespace portcullis::spf
