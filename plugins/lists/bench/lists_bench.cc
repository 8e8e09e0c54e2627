// Build time, memory and lookup cost of the local lists at a million
// entries: 1,000,000 random IPv4 /32 + 1,000,000 random /24 client entries,
// 1,000,000 random domains, and the same loaded from an entry file.
//
// Run: portcullis_plugin_lists_bench [--benchmark_filter=Build]
// Counters: list_MB is what the structure holds (capacity), heap_MB the live
// heap growth across the build measured with mallinfo2 (glibc).
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "entry_list.h"
#include "list_loader.h"

namespace portcullis::lists {
namespace {

constexpr int kEntries = 1'000'000;

std::vector<std::string> RandomClientEntries() {
  std::mt19937 random(42);
  std::vector<std::string> entries;
  entries.reserve(2 * kEntries);
  auto octet = [&] { return std::to_string(random() & 0xff); };
  for (int i = 0; i < kEntries; ++i) {
    entries.push_back(octet() + "." + octet() + "." + octet() + "." + octet());
    entries.push_back(octet() + "." + octet() + "." + octet() + ".0/24");
  }
  return entries;
}

std::vector<std::string> RandomDomains() {
  std::mt19937 random(7);
  static const char* kTlds[] = {"com", "net", "org", "de", "example", "info"};
  std::vector<std::string> domains;
  domains.reserve(kEntries);
  for (int i = 0; i < kEntries; ++i) {
    std::string label;
    int length = 6 + static_cast<int>(random() % 10);
    for (int j = 0; j < length; ++j) label += static_cast<char>('a' + random() % 26);
    domains.push_back(label + "." + kTlds[random() % 6]);
  }
  return domains;
}

// Small blocks (uordblks) plus large mmap()ed ones (hblkhd).
size_t LiveHeap() {
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

void SetMemoryCounters(benchmark::State& state, const EntryList& list, size_t heap_before) {
  state.counters["list_MB"] = static_cast<double>(list.MemoryBytes()) / 1e6;
  state.counters["heap_MB"] = static_cast<double>(LiveHeap() - heap_before) / 1e6;
}

void BM_BuildClients(benchmark::State& state) {
  const std::vector<std::string> entries = RandomClientEntries();
  for (auto _ : state) {
    size_t before = LiveHeap();
    EntryList list(EntryKind::kClient);
    for (const std::string& entry : entries) benchmark::DoNotOptimize(list.Add(entry));
    list.Build();
    SetMemoryCounters(state, list, before);
  }
  state.counters["entries"] = static_cast<double>(entries.size());
}
BENCHMARK(BM_BuildClients)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_BuildDomains(benchmark::State& state) {
  const std::vector<std::string> domains = RandomDomains();
  for (auto _ : state) {
    size_t before = LiveHeap();
    EntryList list(EntryKind::kAddress);
    for (const std::string& domain : domains) benchmark::DoNotOptimize(list.Add(domain));
    list.Build();
    SetMemoryCounters(state, list, before);
  }
  state.counters["entries"] = static_cast<double>(domains.size());
}
BENCHMARK(BM_BuildDomains)->Unit(benchmark::kMillisecond)->Iterations(1);

// The path a reload takes: read and parse the entry file.
void BM_LoadClientFile(benchmark::State& state) {
  char path[] = "/tmp/portcullis-lists-bench-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  {
    std::ofstream out(path);
    for (const std::string& entry : RandomClientEntries()) out << entry << "\n";
  }
  for (auto _ : state) {
    size_t before = LiveHeap();
    EntryList list(EntryKind::kClient);
    std::vector<std::string> errors;
    if (!LoadEntryFile(path, &list, &errors)) state.SkipWithError("load failed");
    list.Build();
    SetMemoryCounters(state, list, before);
  }
  std::remove(path);
}
BENCHMARK(BM_LoadClientFile)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_ClientLookup(benchmark::State& state) {
  EntryList list(EntryKind::kClient);
  for (const std::string& entry : RandomClientEntries()) list.Add(entry);
  list.Build();
  std::mt19937 random(1);
  std::vector<IpAddress> probes;
  for (int i = 0; i < 4096; ++i) {
    uint32_t v = random();
    probes.push_back(
        IpAddress::FromV4({static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                           static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)}));
  }
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(list.MatchesClient(probes[i++ & 4095]));
}
BENCHMARK(BM_ClientLookup);

void BM_AddressLookup(benchmark::State& state) {
  const std::vector<std::string> domains = RandomDomains();
  EntryList list(EntryKind::kAddress);
  for (const std::string& domain : domains) list.Add(domain);
  list.Build();
  std::vector<std::string> probes;
  for (int i = 0; i < 4096; ++i) {
    // Half hits (a subdomain of a listed domain), half misses.
    probes.push_back(i % 2 ? "user@mail." + domains[i * 37]
                           : "user@mail.unlisted" + std::to_string(i) + ".com");
  }
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(list.MatchesAddress(probes[i++ & 4095]));
}
BENCHMARK(BM_AddressLookup);

}  // namespace
}  // namespace portcullis::lists

BENCHMARK_MAIN();
