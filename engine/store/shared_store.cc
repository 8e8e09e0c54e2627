#include "store/shared_store.h"

#include <mutex>
#include <vector>

#include "portcullis/log.h"
#include "store/lmdb_store.h"
#include "store/redis_store.h"
#include "store/store_metrics.h"

namespace portcullis::store {
namespace {

struct SharedEntry {
  StoreOptions options;
  std::string state_dir;
  std::string lmdb_path;  // "" for Redis
  std::weak_ptr<Store> store;
};

}  // namespace

std::string ResolveLmdbPath(const StoreOptions& options, const std::string& state_dir) {
  const std::string& path = options.lmdb.path;
  if (!path.empty() && path.front() == '/') return path;
  return (state_dir.empty() ? std::string(".") : state_dir) + "/" + path;
}

std::shared_ptr<Store> MakeStore(const StoreOptions& options, const std::string& state_dir,
                                 prometheus::Registry* metrics, std::string* error) {
  std::string_view kind = options.backend == StoreOptions::Backend::kLmdb ? "lmdb" : "redis";
  std::shared_ptr<StoreMetrics> store_metrics;
  if (metrics) store_metrics = std::make_shared<StoreMetrics>(metrics, kind);
  std::shared_ptr<Store> made;
  if (options.backend == StoreOptions::Backend::kLmdb) {
    made = LmdbStore::Open(options.lmdb, ResolveLmdbPath(options, state_dir), store_metrics,
                           error);
  } else {
    made = std::make_shared<RedisStore>(options.redis, store_metrics);
  }
  if (!made || !store_metrics) return made;
  return WithMetrics(std::move(made), std::move(store_metrics));
}

std::shared_ptr<Store> AcquireSharedStore(const StoreOptions& options,
                                          const std::string& state_dir,
                                          prometheus::Registry* metrics, std::string* error) {
  static std::mutex mutex;
  static std::vector<SharedEntry> entries;
  std::lock_guard<std::mutex> lock(mutex);
  std::erase_if(entries, [](const SharedEntry& entry) { return entry.store.expired(); });
  bool lmdb = options.backend == StoreOptions::Backend::kLmdb;
  std::string lmdb_path = lmdb ? ResolveLmdbPath(options, state_dir) : "";
  for (const SharedEntry& entry : entries) {
    std::shared_ptr<Store> existing = entry.store.lock();
    if (!existing) continue;
    if (entry.options == options && entry.state_dir == state_dir) return existing;
    if (lmdb && entry.lmdb_path == lmdb_path) {
      // A second environment on the same file in one process would break
      // LMDB's locking; keep the open one.
      LogWarning("state store: the store.lmdb options changed but " + lmdb_path +
                 " is still open; the change takes effect after a restart");
      return existing;
    }
  }
  std::shared_ptr<Store> made = MakeStore(options, state_dir, metrics, error);
  if (!made) return nullptr;
  entries.push_back({options, state_dir, lmdb_path, made});
  return made;
}

}  // namespace portcullis::store
