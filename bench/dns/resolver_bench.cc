// Throughput of the DNS resolver (engine/dns):
// - CachedLookup: Lookup() answered from the cache, inline on the calling
//   thread (the path every repeated SPF/DNSBL lookup takes), 1 and 2 threads
//   over 1,024 warm names.
// - UncachedQueries: unique names under the wildcard zone wild.test, sent
//   to the test DNS server on 127.0.0.1 with 64 lookups in flight (each
//   callback starts the next), 4,096 queries per iteration.
//
// Run: portcullis_dns_bench [--benchmark_filter=Cached]
// Starts one portcullis_test_dns_server child process (killed at exit).
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dns_server_process.h"
#include "portcullis/dns.h"

namespace portcullis::dns {
namespace {

using std::chrono::milliseconds;

constexpr size_t kWarmNames = 1024;
constexpr int kInFlight = 64;
constexpr int kQueriesPerIteration = 4096;

// The server and a resolver pointed at it, shared by every benchmark.
struct Setup {
  std::unique_ptr<testing::DnsServerProcess> server;
  std::unique_ptr<Resolver> resolver;  // destroyed before the server
  std::vector<std::string> warm_names;

  Setup() {
    std::string error;
    server = testing::DnsServerProcess::Start(
        {std::string(PORTCULLIS_DNS_BENCH_ZONES) + "/wild.zone"}, {}, &error);
    if (!server) {
      std::fprintf(stderr, "cannot start the test DNS server: %s\n", error.c_str());
      std::exit(1);
    }
    ResolverOptions options;
    options.servers = {server->address()};
    options.attempt_timeout = milliseconds(1000);
    resolver = MakeResolver(options, nullptr, &error);
    if (!resolver) {
      std::fprintf(stderr, "cannot make the resolver: %s\n", error.c_str());
      std::exit(1);
    }
    for (size_t i = 0; i < kWarmNames; ++i) {
      std::string name = "warm-";
      name += std::to_string(i);
      name += ".wild.test";
      warm_names.push_back(name);
      auto result =
          resolver->Lookup(warm_names.back(), RecordType::kA, Deadline::After(milliseconds(2000)));
      auto answer = result->WaitUntil(Deadline::After(milliseconds(3000)));
      if (!answer || (*answer)->status != Status::kOk) {
        std::fprintf(stderr, "warm-up lookup failed\n");
        std::exit(1);
      }
    }
  }
};

Setup& Shared() {
  // Started on first use, destroyed at exit: the resolver first, then the
  // server child process is stopped.
  static Setup setup;
  return setup;
}

// Arg 0: every thread cycles over all warm names (popular names shared by
// all milter threads: the cache lines of hot entries move between cores).
// Arg 1: each thread has its own slice of the names (the upper bound).
void BM_CachedLookup(benchmark::State& state) {
  Setup& setup = Shared();
  uint64_t ok = 0;
  LookupCallback done = [&ok](const AnswerPtr& answer) { ok += answer->status == Status::kOk; };
  const bool disjoint = state.range(0) == 1;
  const size_t slice = disjoint ? kWarmNames / static_cast<size_t>(state.threads()) : kWarmNames;
  const size_t base = disjoint ? slice * static_cast<size_t>(state.thread_index()) : 0;
  size_t i = disjoint ? 0 : static_cast<size_t>(state.thread_index()) * 97;
  Deadline deadline = Deadline::After(milliseconds(60000));
  for (auto _ : state) {
    setup.resolver->Lookup(setup.warm_names[base + i++ % slice], RecordType::kA, deadline, done);
  }
  if (ok != static_cast<uint64_t>(state.iterations())) state.SkipWithError("a lookup missed");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CachedLookup)->ArgName("disjoint")->Arg(0)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_CachedLookup)->ArgName("disjoint")->Arg(1)->Threads(2)->UseRealTime();

// Keeps kInFlight lookups outstanding until `total` were answered.
class Window {
 public:
  Window(Resolver* resolver, uint64_t first_name, int total)
      : resolver_(resolver), next_name_(first_name), remaining_(total), to_start_(total) {}

  void Run() {
    for (int i = 0; i < kInFlight; ++i) StartOne();
    std::unique_lock<std::mutex> lock(mutex_);
    finished_.wait(lock, [&] { return remaining_ == 0; });
  }
  int failures() const { return failures_; }

 private:
  void StartOne() {
    if (to_start_.fetch_sub(1) <= 0) return;
    // Appended piecewise: GCC 12 warns falsely (-Wrestrict, its bug 105329)
    // on "literal" + std::string at -O2.
    std::string name = "q";
    name += std::to_string(next_name_.fetch_add(1));
    name += ".wild.test";
    resolver_->Lookup(name, RecordType::kA, Deadline::After(milliseconds(5000)),
                      [this](const AnswerPtr& answer) {
                        if (answer->status != Status::kOk) ++failures_;
                        StartOne();  // from the loop thread, like a chained SPF lookup
                        std::lock_guard<std::mutex> lock(mutex_);
                        if (--remaining_ == 0) finished_.notify_all();
                      });
  }

  Resolver* resolver_;
  std::atomic<uint64_t> next_name_;
  std::mutex mutex_;
  std::condition_variable finished_;
  int remaining_;
  std::atomic<int> to_start_;
  std::atomic<int> failures_{0};
};

void BM_UncachedQueries(benchmark::State& state) {
  Setup& setup = Shared();
  static uint64_t first_name = 0;  // unique names across iterations: always a miss
  for (auto _ : state) {
    Window window(setup.resolver.get(), first_name, kQueriesPerIteration);
    first_name += kQueriesPerIteration;
    window.Run();
    if (window.failures() > 0) state.SkipWithError("a query failed");
  }
  state.SetItemsProcessed(state.iterations() * kQueriesPerIteration);
}
BENCHMARK(BM_UncachedQueries)->Iterations(5)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace portcullis::dns

BENCHMARK_MAIN();
