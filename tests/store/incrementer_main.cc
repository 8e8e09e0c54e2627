// The second process of the LMDB multi-process test: opens the store at
// argv[1] and increments key argv[2] argv[3] times, then exits 0 (1 on any
// failure). Test-only.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/lmdb_store.h"

int main(int argc, char** argv) {
  using namespace portcullis::store;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DIR KEY COUNT\n", argv[0]);
    return 2;
  }
  LmdbOptions options;
  options.map_size_bytes = 64ull << 20;
  std::string error;
  auto store = LmdbStore::Open(options, argv[1], nullptr, &error);
  if (!store) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  int count = std::atoi(argv[3]);
  for (int i = 0; i < count; ++i) {
    IncrementResult result =
        store->Increment(argv[2], 1, Ttl(3600), portcullis::Deadline::Never());
    if (result.status != Status::kOk) {
      std::fprintf(stderr, "increment: %s\n", result.error.c_str());
      return 1;
    }
  }
  return 0;
}
