// The Store contract (portcullis/store.h), run against every backend: LMDB
// (unit) and Redis against a real redis-server (RedisIntegration*).
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "store/lmdb_store.h"
#include "store/redis_store.h"
#include "store_test_util.h"

namespace portcullis::store {
namespace {

using testing::TempDir;

struct Backend {
  const char* name;
  // Makes a fresh, empty store; `dir` lives as long as the test.
  std::function<std::shared_ptr<Store>(const TempDir& dir, std::string* error)> make;
};

std::shared_ptr<Store> MakeLmdb(const TempDir& dir, std::string* error) {
  return LmdbStore::Open(testing::TestLmdbOptions(), dir.path() + "/store", nullptr, error);
}

std::shared_ptr<Store> MakeRedis(const TempDir&, std::string* error) {
  uint16_t port = testing::SharedRedisPort(error);
  if (port == 0) return nullptr;
  return std::make_shared<RedisStore>(testing::TestRedisOptions(port), nullptr);
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& param) {
  return param.param.name;
}

class StoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string error;
    store_ = GetParam().make(dir_, &error);
    ASSERT_TRUE(store_) << error;
  }
  Deadline Soon() const { return Deadline::After(std::chrono::seconds(5)); }
  std::string GetValue(std::string_view key) {
    GetResult got = store_->Get(key, Soon());
    return got.status == Status::kOk ? got.entry.value : "<" + std::string(StatusName(got.status)) + ">";
  }

  TempDir dir_;
  std::shared_ptr<Store> store_;
};

TEST_P(StoreContractTest, GetMissingIsNotFound) {
  GetResult got = store_->Get("greylist:missing", Soon());
  EXPECT_EQ(got.status, Status::kNotFound) << got.error;
}

TEST_P(StoreContractTest, PutThenGetAndOverwrite) {
  ASSERT_EQ(store_->Put("k", "first", Ttl(60), Soon()).status, Status::kOk);
  GetResult got = store_->Get("k", Soon());
  ASSERT_EQ(got.status, Status::kOk) << got.error;
  EXPECT_EQ(got.entry.value, "first");
  auto left = got.entry.expires - Clock::now();
  EXPECT_GT(left, std::chrono::seconds(55));
  EXPECT_LE(left, std::chrono::seconds(61));
  ASSERT_EQ(store_->Put("k", "second", Ttl(60), Soon()).status, Status::kOk);
  EXPECT_EQ(GetValue("k"), "second");
}

TEST_P(StoreContractTest, EntryExpiresAfterTtl) {
  ASSERT_EQ(store_->Put("short", "v", Ttl(1), Soon()).status, Status::kOk);
  ASSERT_EQ(store_->Put("long", "v", Ttl(60), Soon()).status, Status::kOk);
  EXPECT_EQ(GetValue("short"), "v");
  Status status = Status::kOk;
  // Bounded wait: 1 s TTL, give up after 3 s.
  for (int i = 0; i < 60 && status == Status::kOk; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = store_->Get("short", Soon()).status;
  }
  EXPECT_EQ(status, Status::kNotFound);
  EXPECT_EQ(GetValue("long"), "v");
}

TEST_P(StoreContractTest, Increment) {
  struct Case {
    const char* name;
    const char* initial;  // nullptr = missing
    int64_t delta;
    int64_t want;
  };
  const Case cases[] = {
      {"missing", nullptr, 3, 3},       {"existing", "40", 2, 42},
      {"negative", "5", -7, -2},        {"not_integer", "abc", 4, 4},
      {"trailing_junk", "12x", 1, 1},   {"empty", "", 5, 5},
  };
  for (const Case& c : cases) {
    std::string key = std::string("inc:") + c.name;
    if (c.initial) {
      ASSERT_EQ(store_->Put(key, c.initial, Ttl(60), Soon()).status, Status::kOk);
    }
    IncrementResult got = store_->Increment(key, c.delta, Ttl(60), Soon());
    ASSERT_EQ(got.status, Status::kOk) << c.name << ": " << got.error;
    EXPECT_EQ(got.value, c.want) << c.name << ": got " << got.value << ", want " << c.want;
    EXPECT_EQ(GetValue(key), std::to_string(c.want)) << c.name;
  }
}

TEST_P(StoreContractTest, IncrementSetsTtl) {
  IncrementResult got = store_->Increment("ttl", 1, Ttl(30), Soon());
  ASSERT_EQ(got.status, Status::kOk) << got.error;
  GetResult entry = store_->Get("ttl", Soon());
  ASSERT_EQ(entry.status, Status::kOk);
  auto left = entry.entry.expires - Clock::now();
  EXPECT_GT(left, std::chrono::seconds(25));
  EXPECT_LE(left, std::chrono::seconds(31));
}

TEST_P(StoreContractTest, ConcurrentIncrementsAreExact) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 500;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        if (store_->Increment("counter", 1, Ttl(60), Soon()).status != Status::kOk) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(GetValue("counter"), std::to_string(kThreads * kPerThread));
}

TEST_P(StoreContractTest, Delete) {
  ASSERT_EQ(store_->Put("present", "v", Ttl(60), Soon()).status, Status::kOk);
  EXPECT_EQ(store_->Delete("present", Soon()).status, Status::kOk);
  EXPECT_EQ(store_->Get("present", Soon()).status, Status::kNotFound);
  EXPECT_EQ(store_->Delete("present", Soon()).status, Status::kNotFound);
  EXPECT_EQ(store_->Delete("never", Soon()).status, Status::kNotFound);
}

TEST_P(StoreContractTest, PutManyThenGetManyKeepsOrder) {
  std::vector<PutRequest> puts = {{"m:c", "3", Ttl(60)}, {"m:a", "1", Ttl(60)},
                                  {"m:b", "2", Ttl(60)}};
  std::vector<WriteResult> written = store_->PutMany(puts, Soon());
  ASSERT_EQ(written.size(), 3u);
  for (const WriteResult& w : written) EXPECT_EQ(w.status, Status::kOk) << w.error;
  std::vector<std::string> keys = {"m:b", "m:missing", "m:c", "m:a", "m:other"};
  std::vector<GetResult> got = store_->GetMany(keys, Soon());
  ASSERT_EQ(got.size(), keys.size());
  const struct {
    Status status;
    const char* value;
  } want[] = {{Status::kOk, "2"},
              {Status::kNotFound, ""},
              {Status::kOk, "3"},
              {Status::kOk, "1"},
              {Status::kNotFound, ""}};
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(got[i].status, want[i].status) << keys[i];
    EXPECT_EQ(got[i].entry.value, want[i].value) << keys[i];
  }
  EXPECT_TRUE(store_->GetMany({}, Soon()).empty());
}

TEST_P(StoreContractTest, ScanByPrefix) {
  ASSERT_EQ(store_->Put("scan:a", "1", Ttl(60), Soon()).status, Status::kOk);
  ASSERT_EQ(store_->Put("scan:b", "2", Ttl(60), Soon()).status, Status::kOk);
  ASSERT_EQ(store_->Put("scan:c", "3", Ttl(60), Soon()).status, Status::kOk);
  ASSERT_EQ(store_->Put("scan:expired", "x", Ttl(1), Soon()).status, Status::kOk);
  ASSERT_EQ(store_->Put("scam:a", "no", Ttl(60), Soon()).status, Status::kOk);
  ASSERT_EQ(store_->Put("other", "no", Ttl(60), Soon()).status, Status::kOk);
  // Bounded: wait for the 1 s entry to expire (at most 3 s).
  for (int i = 0; i < 60 && store_->Get("scan:expired", Soon()).status == Status::kOk; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::map<std::string, std::string> seen;
  WriteResult scanned = store_->Scan(
      "scan:",
      [&](std::string_view key, const Entry& entry) {
        seen[std::string(key)] = entry.value;
        return true;
      },
      Soon());
  ASSERT_EQ(scanned.status, Status::kOk) << scanned.error;
  std::map<std::string, std::string> want = {{"scan:a", "1"}, {"scan:b", "2"}, {"scan:c", "3"}};
  EXPECT_EQ(seen, want);

  int visits = 0;
  scanned = store_->Scan(
      "scan:", [&](std::string_view, const Entry&) { return ++visits < 2; }, Soon());
  EXPECT_EQ(scanned.status, Status::kOk);
  EXPECT_EQ(visits, 2);
}

TEST_P(StoreContractTest, ScanManyEntries) {
  // More than one LMDB scan batch and one Redis SCAN COUNT.
  constexpr int kEntries = 1200;
  std::vector<PutRequest> puts;
  for (int i = 0; i < kEntries; ++i) puts.push_back({"many:" + std::to_string(i), "v", Ttl(60)});
  for (const WriteResult& w : store_->PutMany(puts, Soon())) ASSERT_EQ(w.status, Status::kOk);
  std::set<std::string> seen;
  WriteResult scanned = store_->Scan(
      "many:",
      [&](std::string_view key, const Entry&) {
        seen.insert(std::string(key));
        return true;
      },
      Soon());
  ASSERT_EQ(scanned.status, Status::kOk) << scanned.error;
  EXPECT_EQ(seen.size(), static_cast<size_t>(kEntries));
}

TEST_P(StoreContractTest, BinaryEmptyAndLargeValues) {
  const std::string binary_key("bin\0key\xff*?[", 11);
  const std::string binary_value("\0\x01\x02\0end\r\n", 9);
  const std::string large(1 << 20, 'x');
  const struct {
    const char* name;
    std::string key;
    std::string value;
  } cases[] = {{"binary", binary_key, binary_value},
               {"empty", "empty", ""},
               {"one_mib", "large", large}};
  for (const auto& c : cases) {
    WriteResult put = store_->Put(c.key, c.value, Ttl(60), Soon());
    ASSERT_EQ(put.status, Status::kOk) << c.name << ": " << put.error;
    GetResult got = store_->Get(c.key, Soon());
    ASSERT_EQ(got.status, Status::kOk) << c.name << ": " << got.error;
    EXPECT_EQ(got.entry.value.size(), c.value.size()) << c.name;
    EXPECT_TRUE(got.entry.value == c.value) << c.name;
  }
  // A prefix with glob characters and a NUL matches literally.
  int visits = 0;
  std::string seen;
  store_->Scan(
      std::string("bin\0key\xff*", 9),
      [&](std::string_view key, const Entry&) {
        ++visits;
        seen = key;
        return true;
      },
      Soon());
  EXPECT_EQ(visits, 1);
  EXPECT_TRUE(seen == binary_key);
  EXPECT_EQ(store_->Scan(
                    "bin*", [&](std::string_view, const Entry&) { return ++visits > 0; },
                    Soon())
                .status,
            Status::kOk);
  EXPECT_EQ(visits, 1) << "'*' in a prefix must not act as a wildcard";
}

INSTANTIATE_TEST_SUITE_P(Lmdb, StoreContractTest,
                         ::testing::Values(Backend{"lmdb", MakeLmdb}),
                         BackendName);
#ifdef PORTCULLIS_WITH_REDIS_SERVER
INSTANTIATE_TEST_SUITE_P(RedisIntegration, StoreContractTest,
                         ::testing::Values(Backend{"redis", MakeRedis}),
                         BackendName);
#endif

}  // namespace
}  // namespace portcullis::store
