// Benchmarks of the state stores: LMDB in a temporary directory and Redis
// against a redis-server started on loopback for the run.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "redis_server_process.h"
#include "store/lmdb_store.h"
#include "store/redis_store.h"

namespace portcullis::store {
namespace {

constexpr int kKeys = 10000;  // the working set the Get benchmarks cycle through

std::string KeyOf(int i) { return "greylist:192.0.2.0/24:sender" + std::to_string(i) + "@example.org"; }

class LmdbFixture {
 public:
  LmdbFixture() {
    char pattern[] = "/tmp/portcullis-store-bench-XXXXXX";
    dir_ = ::mkdtemp(pattern) ? pattern : "/tmp/portcullis-store-bench";
    std::string error;
    store_ = LmdbStore::Open(LmdbOptions{}, dir_ + "/store", nullptr, &error);
    if (!store_) std::abort();
    for (int i = 0; i < kKeys; ++i) store_->Put(KeyOf(i), "1700000000", Ttl(3600), Deadline::Never());
  }
  ~LmdbFixture() {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  Store* store() { return store_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<LmdbStore> store_;
};

class RedisFixture {
 public:
  RedisFixture() {
    std::string error;
    server_ = portcullis::testing::RedisServerProcess::Start("", &error);
    if (!server_) return;
    RedisOptions options;
    options.port = server_->port();
    options.call_timeout = std::chrono::milliseconds(1000);
    store_ = std::make_unique<RedisStore>(options, nullptr);
    for (int i = 0; i < kKeys; ++i) store_->Put(KeyOf(i), "1700000000", Ttl(3600), Deadline::Never());
  }
  Store* store() { return store_.get(); }

 private:
  std::unique_ptr<portcullis::testing::RedisServerProcess> server_;
  std::unique_ptr<RedisStore> store_;
};

LmdbFixture& Lmdb() {
  static LmdbFixture fixture;
  return fixture;
}
RedisFixture& Redis() {
  static RedisFixture fixture;
  return fixture;
}

Deadline Soon() { return Deadline::After(std::chrono::seconds(1)); }

void GetHit(benchmark::State& state, Store* store) {
  if (!store) return state.SkipWithError("store not available");
  int i = 0;
  for (auto _ : state) {
    GetResult got = store->Get(KeyOf(i++ % kKeys), Soon());
    if (got.status != Status::kOk) return state.SkipWithError(got.error.c_str());
    benchmark::DoNotOptimize(got);
  }
  state.SetItemsProcessed(state.iterations());
}

void Put(benchmark::State& state, Store* store) {
  if (!store) return state.SkipWithError("store not available");
  int i = 0;
  for (auto _ : state) {
    WriteResult put = store->Put(KeyOf(i++ % kKeys), "1700000001", Ttl(3600), Soon());
    if (put.status != Status::kOk) return state.SkipWithError(put.error.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

void Increment(benchmark::State& state, Store* store) {
  if (!store) return state.SkipWithError("store not available");
  int i = 0;
  for (auto _ : state) {
    IncrementResult got = store->Increment("rate:" + std::to_string(i++ % kKeys), 1, Ttl(3600), Soon());
    if (got.status != Status::kOk) return state.SkipWithError(got.error.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

void GetMany(benchmark::State& state, Store* store) {
  if (!store) return state.SkipWithError("store not available");
  const int batch = static_cast<int>(state.range(0));
  std::vector<std::string> keys(batch);
  int i = 0;
  for (auto _ : state) {
    for (std::string& key : keys) key = KeyOf(i++ % kKeys);
    std::vector<GetResult> got = store->GetMany(keys, Soon());
    if (got.front().status != Status::kOk) return state.SkipWithError(got.front().error.c_str());
    benchmark::DoNotOptimize(got);
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void BM_LmdbGetHit(benchmark::State& state) { GetHit(state, Lmdb().store()); }
void BM_LmdbPut(benchmark::State& state) { Put(state, Lmdb().store()); }
void BM_LmdbIncrement(benchmark::State& state) { Increment(state, Lmdb().store()); }
void BM_RedisGet(benchmark::State& state) { GetHit(state, Redis().store()); }
void BM_RedisPut(benchmark::State& state) { Put(state, Redis().store()); }
void BM_RedisGetMany(benchmark::State& state) { GetMany(state, Redis().store()); }

BENCHMARK(BM_LmdbGetHit);
BENCHMARK(BM_LmdbPut);
BENCHMARK(BM_LmdbIncrement);
BENCHMARK(BM_RedisGet);
BENCHMARK(BM_RedisPut);
BENCHMARK(BM_RedisGetMany)->Arg(10);

}  // namespace
}  // namespace portcullis::store

BENCHMARK_MAIN();
