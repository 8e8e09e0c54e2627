#include "dns/dns_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace portcullis::dns {
namespace {

using Clock = DnsCache::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

AnswerPtr Make(Status status, uint32_t ttl, const std::string& text = "") {
  auto answer = std::make_shared<Answer>();
  answer->status = status;
  answer->ttl = ttl;
  if (!text.empty()) answer->texts.push_back(text);
  return answer;
}

CachePolicy Policy(size_t entries) {
  CachePolicy policy;
  policy.max_entries = entries;
  return policy;
}

TEST(DnsCache, LifetimePolicy) {
  CachePolicy policy;
  policy.min_ttl = 10;
  policy.max_ttl = 1000;
  policy.negative_max_ttl = 60;
  struct Case {
    Status status;
    uint32_t ttl;
    uint32_t want;
  } cases[] = {
      {Status::kOk, 300, 300},      {Status::kOk, 0, 10},         {Status::kOk, 5000, 1000},
      {Status::kNxDomain, 300, 60}, {Status::kNoData, 30, 30},    {Status::kNoData, 2, 10},
      {Status::kTempError, 300, 0}, {Status::kPermError, 300, 0},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CacheLifetime(*Make(c.status, c.ttl), policy), c.want)
        << StatusName(c.status) << " ttl " << c.ttl;
  }
  // negative_max_ttl above cache_max_ttl: cache_max_ttl still caps.
  policy.negative_max_ttl = 5000;
  EXPECT_EQ(CacheLifetime(*Make(Status::kNxDomain, 3000), policy), 1000u);
}

TEST(DnsCache, HitsExpireAndCountDownTtl) {
  DnsCache cache(Policy(100));
  Clock::time_point t0 = Clock::now();
  cache.Insert("a.test", RecordType::kTxt, Make(Status::kOk, 3, "x"), 3, t0);
  struct Case {
    milliseconds age;
    bool want_hit;
    uint32_t want_ttl;
  } cases[] = {
      {milliseconds(0), true, 3},    {milliseconds(999), true, 3},   {milliseconds(1000), true, 2},
      {milliseconds(2500), true, 1}, {milliseconds(3000), false, 0},
  };
  for (const Case& c : cases) {
    AnswerPtr hit = cache.Find("a.test", RecordType::kTxt, t0 + c.age);
    EXPECT_EQ(hit != nullptr, c.want_hit) << "age " << c.age.count() << " ms";
    if (hit) {
      EXPECT_EQ(hit->ttl, c.want_ttl) << "age " << c.age.count() << " ms";
      ASSERT_EQ(hit->texts.size(), 1u);
      EXPECT_EQ(hit->texts[0], "x");
    }
  }
  EXPECT_EQ(cache.size(), 0u);  // the expired entry was dropped on sight
}

TEST(DnsCache, SameAnswerObjectWithinOneSecond) {
  // The hit path copies only the shared_ptr while the ttl has not changed.
  DnsCache cache(Policy(100));
  Clock::time_point t0 = Clock::now();
  cache.Insert("a.test", RecordType::kA, Make(Status::kOk, 60), 60, t0);
  AnswerPtr first = cache.Find("a.test", RecordType::kA, t0 + milliseconds(10));
  AnswerPtr second = cache.Find("a.test", RecordType::kA, t0 + milliseconds(20));
  EXPECT_EQ(first.get(), second.get());
  AnswerPtr later = cache.Find("a.test", RecordType::kA, t0 + seconds(2));
  ASSERT_NE(later, nullptr);
  EXPECT_NE(later.get(), first.get());
  EXPECT_EQ(later->ttl, 58u);
  EXPECT_EQ(first->ttl, 60u);  // what a caller already holds never changes
}

TEST(DnsCache, KeyIsNameAndType) {
  DnsCache cache(Policy(100));
  Clock::time_point now = Clock::now();
  cache.Insert("a.test", RecordType::kA, Make(Status::kNxDomain, 30), 30, now);
  cache.Insert("a.test", RecordType::kMx, Make(Status::kNoData, 30), 30, now);
  struct Case {
    std::string name;
    RecordType type;
    std::string want;
  } cases[] = {
      {"a.test", RecordType::kA, "nxdomain"},
      {"a.test", RecordType::kMx, "nodata"},
      {"a.test", RecordType::kTxt, "miss"},
      {"b.test", RecordType::kA, "miss"},
  };
  for (const Case& c : cases) {
    AnswerPtr hit = cache.Find(c.name, c.type, now);
    EXPECT_EQ(hit ? std::string(StatusName(hit->status)) : "miss", c.want)
        << c.name << " " << RecordTypeName(c.type);
  }
}

TEST(DnsCache, EvictsLeastRecentlyUsed) {
  DnsCache cache(Policy(3));
  Clock::time_point now = Clock::now();
  for (const char* name : {"a", "b", "c"}) {
    cache.Insert(name, RecordType::kA, Make(Status::kOk, 60), 60, now);
  }
  ASSERT_NE(cache.Find("a", RecordType::kA, now), nullptr);  // a is now the most recent
  cache.Insert("d", RecordType::kA, Make(Status::kOk, 60), 60, now);
  EXPECT_EQ(cache.size(), 3u);
  struct Case {
    const char* name;
    bool want;
  } cases[] = {{"a", true}, {"b", false}, {"c", true}, {"d", true}};
  for (const Case& c : cases) {
    EXPECT_EQ(cache.Find(c.name, RecordType::kA, now) != nullptr, c.want) << c.name;
  }
  // Replacing an entry does not evict another.
  cache.Insert("d", RecordType::kA, Make(Status::kOk, 60, "new"), 60, now);
  EXPECT_EQ(cache.size(), 3u);
  AnswerPtr d = cache.Find("d", RecordType::kA, now);
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->texts.size(), 1u);
  EXPECT_EQ(d->texts[0], "new");
}

TEST(DnsCache, LargeCacheStaysBounded) {
  // Above the sharding threshold each shard holds its share of the bound.
  DnsCache cache(Policy(5000));
  Clock::time_point now = Clock::now();
  for (int i = 0; i < 20000; ++i) {
    cache.Insert("n" + std::to_string(i) + ".test", RecordType::kA, Make(Status::kOk, 60), 60, now);
  }
  EXPECT_LE(cache.size(), 5000u);
  EXPECT_GE(cache.size(), 4000u);
  EXPECT_NE(cache.Find("n19999.test", RecordType::kA, now), nullptr);
  EXPECT_EQ(cache.Find("n0.test", RecordType::kA, now), nullptr);
}

TEST(DnsCache, DisabledAndZeroLifetimeStoreNothing) {
  DnsCache disabled(Policy(0));
  Clock::time_point now = Clock::now();
  EXPECT_FALSE(disabled.enabled());
  disabled.Insert("a", RecordType::kA, Make(Status::kOk, 60), 60, now);
  EXPECT_EQ(disabled.Find("a", RecordType::kA, now), nullptr);
  DnsCache cache(Policy(10));
  cache.Insert("a", RecordType::kA, Make(Status::kOk, 0), 0, now);
  EXPECT_EQ(cache.Find("a", RecordType::kA, now), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace portcullis::dns
