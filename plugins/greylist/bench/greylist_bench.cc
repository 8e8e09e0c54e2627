// Greylist decisions per second on the real stores: LMDB in a temporary
// directory and Redis against a redis-server started on loopback for the
// run. One decision is one CheckInstance::OnRcpt, as the daemon makes it at
// RCPT TO:
//   Known: the triplet passed earlier (one batched read: network counter,
//          manual entry, triplet; no write).
//   New:   a triplet never seen (the batched read, then one write) - a
//          first attempt, answered 451.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

#include "config_tree.h"
#include "greylist_check.h"
#include "portcullis/check_registry.h"
#include "redis_server_process.h"
#include "store/shared_store.h"

namespace portcullis::greylist {
namespace {

using portcullis::testing::Num;
using portcullis::testing::Table;

// Enough distinct known triplets that the store does real lookups, not one
// hot key.
constexpr int kKnownTriplets = 5000;

struct Message {
  ConnectionInfo connection;
  MessageInfo message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info() { return TransactionInfo{connection, message, macros}; }
};

std::string Recipient(int i) { return "user" + std::to_string(i) + "@example.net"; }

class Bench {
 public:
  explicit Bench(const store::StoreOptions& options) {
    char pattern[] = "/tmp/portcullis-greylist-bench-XXXXXX";
    dir_ = ::mkdtemp(pattern) ? pattern : "/tmp/portcullis-greylist-bench";
    std::string error;
    store_ = store::MakeStore(options, dir_, nullptr, &error);
    if (!store_) {
      std::fprintf(stderr, "store: %s\n", error.c_str());
      std::abort();
    }
    // The shortest delay; the warm-up's clock jumps past it between its two
    // passes, so every triplet is known afterwards.
    ConfigValue tree = Table({{"delay", Num(1)}, {"auto_allowlist_after", Num(0)}});
    ConfigErrors errors;
    ConfigReader reader(&tree, "checks.greylist", "bench.lua", &errors);
    CheckContext context;
    context.store = store_.get();
    check_ = MakeGreylistCheckWithClock(reader, context,
                                        [this] { return store::Clock::now() + skew_; });
    for (const std::string& line : errors.all()) std::fprintf(stderr, "%s\n", line.c_str());
    if (!check_ || !errors.empty()) std::abort();
    message_.connection.client_addr_text = "192.0.2.10";
    message_.connection.client_addr = IpAddress::Parse("192.0.2.10");
    message_.connection.client_name = "unknown";
    message_.message.mail_from = "alice@sender.example";
    for (int i = 0; i < kKnownTriplets; ++i) Decide(Recipient(i));
    skew_ = std::chrono::seconds(2);
    for (int i = 0; i < kKnownTriplets; ++i) Decide(Recipient(i));
  }
  ~Bench() {
    check_.reset();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  bool Decide(const std::string& recipient) {
    auto instance = check_->NewInstance();
    return instance->OnRcpt(message_.info(), recipient).has_value();
  }

 private:
  std::string dir_;
  std::shared_ptr<store::Store> store_;
  std::unique_ptr<Check> check_;
  Message message_;
  std::chrono::seconds skew_{0};
};

Bench& LmdbBench() {
  static Bench bench{store::StoreOptions{}};
  return bench;
}

Bench* RedisBench() {
  static std::unique_ptr<portcullis::testing::RedisServerProcess> server;
  static std::unique_ptr<Bench> bench;
  if (!bench) {
    std::string error;
    server = portcullis::testing::RedisServerProcess::Start("", &error);
    if (!server) return nullptr;
    store::StoreOptions options;
    options.backend = store::StoreOptions::Backend::kRedis;
    options.redis.port = server->port();
    options.redis.call_timeout = std::chrono::milliseconds(1000);
    bench = std::make_unique<Bench>(options);
  }
  return bench.get();
}

void Known(benchmark::State& state, Bench* bench) {
  if (!bench) return state.SkipWithError("no redis-server");
  int i = 0;
  for (auto _ : state) {
    if (bench->Decide(Recipient(i))) return state.SkipWithError("a known triplet was greylisted");
    i = (i + 1) % kKnownTriplets;
  }
}

void New(benchmark::State& state, Bench* bench) {
  if (!bench) return state.SkipWithError("no redis-server");
  static int next = 0;
  for (auto _ : state) {
    if (!bench->Decide("new" + std::to_string(next++) + "@example.net")) {
      return state.SkipWithError("a new triplet was accepted");
    }
  }
}

void BM_GreylistKnownLmdb(benchmark::State& state) { Known(state, &LmdbBench()); }
void BM_GreylistNewLmdb(benchmark::State& state) { New(state, &LmdbBench()); }
void BM_GreylistKnownRedis(benchmark::State& state) { Known(state, RedisBench()); }
void BM_GreylistNewRedis(benchmark::State& state) { New(state, RedisBench()); }

BENCHMARK(BM_GreylistKnownLmdb)->MinTime(1.0);
BENCHMARK(BM_GreylistNewLmdb)->MinTime(1.0);
BENCHMARK(BM_GreylistKnownRedis)->MinTime(1.0);
BENCHMARK(BM_GreylistNewRedis)->MinTime(1.0);

}  // namespace
}  // namespace portcullis::greylist

BENCHMARK_MAIN();
