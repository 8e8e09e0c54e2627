// The metrics decorator, the background sweep's counter, and the shared
// store registry (shared_store.h).
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "portcullis/engine_settings.h"
#include "store/shared_store.h"
#include "store_test_util.h"

namespace portcullis::store {
namespace {

using testing::TempDir;

Deadline Soon() { return Deadline::After(std::chrono::seconds(5)); }

// The value of one series, -1 when absent.
double Metric(prometheus::Registry& registry, const std::string& name,
              const std::map<std::string, std::string>& labels) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      std::map<std::string, std::string> got;
      for (const auto& label : metric.label) got[label.name] = label.value;
      bool match = true;
      for (const auto& [key, value] : labels) match = match && got[key] == value;
      if (!match) continue;
      if (family.type == prometheus::MetricType::Histogram) {
        return static_cast<double>(metric.histogram.sample_count);
      }
      return metric.counter.value;
    }
  }
  return -1;
}

StoreOptions LmdbOptionsIn(const TempDir&) {
  StoreOptions options;
  options.lmdb = testing::TestLmdbOptions();
  options.lmdb.path = "store";
  return options;
}

TEST(StoreMetricsTest, CountsOperationsByStatus) {
  TempDir dir;
  prometheus::Registry registry;
  std::string error;
  auto store = MakeStore(LmdbOptionsIn(dir), dir.path(), &registry, &error);
  ASSERT_TRUE(store) << error;
  EXPECT_EQ(store->kind(), "lmdb");
  store->Put("a", "1", Ttl(60), Soon());
  store->Get("a", Soon());
  store->Get("b", Soon());
  store->Get("c", Soon());
  std::vector<std::string> keys = {"a", "b"};
  store->GetMany(keys, Soon());
  const struct {
    const char* operation;
    const char* status;
    double want;
  } cases[] = {{"put", "ok", 1},          {"get", "ok", 1},       {"get", "not_found", 2},
               {"get", "unavailable", 0}, {"get_many", "ok", 1}, {"get_many", "not_found", 1},
               {"increment", "ok", 0}};
  for (const auto& c : cases) {
    EXPECT_EQ(Metric(registry, "portcullis_store_operations_total",
                     {{"store", "lmdb"}, {"operation", c.operation}, {"status", c.status}}),
              c.want)
        << c.operation << " " << c.status;
  }
  EXPECT_EQ(Metric(registry, "portcullis_store_operation_seconds",
                   {{"store", "lmdb"}, {"operation", "get"}}),
            3);
}

TEST(StoreMetricsTest, BackgroundSweepCountsExpired) {
  TempDir dir;
  prometheus::Registry registry;
  StoreOptions options = LmdbOptionsIn(dir);
  options.lmdb.expiry_interval = std::chrono::seconds(1);
  std::string error;
  auto store = MakeStore(options, dir.path(), &registry, &error);
  ASSERT_TRUE(store) << error;
  for (int i = 0; i < 3; ++i) store->Put("e" + std::to_string(i), "x", Ttl(1), Soon());
  double expired = 0;
  // Bounded: entries expire after 1 s, sweeps run every second; 5 s at most.
  for (int i = 0; i < 100 && expired < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    expired = Metric(registry, "portcullis_store_expired_total", {{"store", "lmdb"}});
  }
  EXPECT_EQ(expired, 3);
}

TEST(StoreMetricsTest, NoRegistryNoMetrics) {
  TempDir dir;
  std::string error;
  auto store = MakeStore(LmdbOptionsIn(dir), dir.path(), nullptr, &error);
  ASSERT_TRUE(store) << error;
  EXPECT_EQ(store->Put("a", "1", Ttl(60), Soon()).status, Status::kOk);
}

TEST(SharedStoreTest, SameOptionsShareOneStore) {
  TempDir dir;
  prometheus::Registry registry;
  std::string error;
  StoreOptions options = LmdbOptionsIn(dir);
  auto first = AcquireSharedStore(options, dir.path(), &registry, &error);
  ASSERT_TRUE(first) << error;
  auto second = AcquireSharedStore(options, dir.path(), &registry, &error);
  EXPECT_EQ(first.get(), second.get());
  // Changed LMDB options for the same directory keep the open environment.
  StoreOptions changed = options;
  changed.lmdb.expiry_batch = 7;
  auto third = AcquireSharedStore(changed, dir.path(), &registry, &error);
  EXPECT_EQ(first.get(), third.get());
  // Another directory is another store.
  StoreOptions elsewhere = options;
  elsewhere.lmdb.path = "other";
  auto fourth = AcquireSharedStore(elsewhere, dir.path(), &registry, &error);
  ASSERT_TRUE(fourth) << error;
  EXPECT_NE(first.get(), fourth.get());
}

TEST(SharedStoreTest, ReleasedStoreIsReopened) {
  TempDir dir;
  std::string error;
  StoreOptions options = LmdbOptionsIn(dir);
  auto first = AcquireSharedStore(options, dir.path(), nullptr, &error);
  ASSERT_TRUE(first) << error;
  ASSERT_EQ(first->Put("kept", "v", Ttl(60), Soon()).status, Status::kOk);
  first.reset();
  auto again = AcquireSharedStore(options, dir.path(), nullptr, &error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(again->Get("kept", Soon()).status, Status::kOk);
}

TEST(SharedStoreTest, ResolvesRelativePathsUnderStateDir) {
  StoreOptions options;
  const struct {
    const char* path;
    const char* state_dir;
    const char* want;
  } cases[] = {{"store", "/var/lib/portcullis", "/var/lib/portcullis/store"},
               {"/srv/state", "/var/lib/portcullis", "/srv/state"},
               {"store", "", "./store"}};
  for (const auto& c : cases) {
    options.lmdb.path = c.path;
    EXPECT_EQ(ResolveLmdbPath(options, c.state_dir), c.want) << c.path;
  }
}

TEST(EngineSettingsStoreTest, OpenStateStoreReadsTheStoreSection) {
  TempDir dir;
  std::string file = dir.path() + "/portcullis.lua";
  std::ofstream(file) << "state_dir = \"" << dir.path()
                      << "\"\nstore = { lmdb = { path = \"state\", map_size_mb = 16 } }\n";
  EngineSettings settings;
  std::string error;
  ASSERT_TRUE(LoadEngineSettings(file, &settings, &error)) << error;
  EXPECT_EQ(settings.store.lmdb.path, "state");
  EXPECT_EQ(settings.store.lmdb.map_size_bytes, 16ull << 20);
  auto store = OpenStateStore(settings, &error);
  ASSERT_TRUE(store) << error;
  EXPECT_EQ(store->Put("k", "v", Ttl(60), Soon()).status, Status::kOk);
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/state/data.mdb"));
}

TEST(EngineSettingsStoreTest, OpenStateStoreFailureNamesThePath) {
  EngineSettings settings;
  settings.state_dir = "/proc/1";
  std::string error;
  EXPECT_FALSE(OpenStateStore(settings, &error));
  EXPECT_NE(error.find("/proc/1/store"), std::string::npos) << error;
}

}  // namespace
}  // namespace portcullis::store
