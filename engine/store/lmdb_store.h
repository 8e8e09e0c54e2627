// The LMDB state store: one host, entries survive a restart or a crash of
// the process (see README.md for what a power loss may take).
//
// Owns the environment and one background thread (sync + expiry sweep),
// both stopped by the destructor. Thread-safe: reads run in parallel,
// writes (one transaction per call) are serialised by LMDB across threads
// and across processes on the host (`portcullis greylist ...` beside the
// daemon). Calls do not wait on the deadline except Scan: an LMDB call takes
// microseconds unless another writer holds the lock.
#pragma once

#include <memory>
#include <string>

#include "portcullis/store.h"
#include "portcullis/store_options.h"
#include "store/lmdb_env.h"
#include "store/periodic_worker.h"
#include "store/store_metrics.h"

namespace portcullis::store {

class LmdbStore final : public Store {
 public:
  // `path` is resolved against the state directory already. `metrics` may
  // be null. Returns nullptr with `error` set.
  static std::unique_ptr<LmdbStore> Open(const LmdbOptions& options, const std::string& path,
                                         std::shared_ptr<StoreMetrics> metrics,
                                         std::string* error);
  ~LmdbStore() override;

  std::string_view kind() const override { return "lmdb"; }
  GetResult Get(std::string_view key, Deadline deadline) override;
  WriteResult Put(std::string_view key, std::string_view value, Ttl ttl,
                  Deadline deadline) override;
  IncrementResult Increment(std::string_view key, int64_t delta, Ttl ttl,
                            Deadline deadline) override;
  WriteResult Delete(std::string_view key, Deadline deadline) override;
  WriteResult Scan(std::string_view prefix, const Visitor& visit, Deadline deadline) override;

  // One full sweep now (the background thread calls it every
  // expiry_interval). Returns how many expired entries it deleted.
  uint64_t SweepExpired();

 private:
  LmdbStore(const LmdbOptions& options, std::unique_ptr<LmdbEnv> env,
            std::shared_ptr<StoreMetrics> metrics);
  std::string Describe(int rc) const;

  LmdbOptions options_;
  std::unique_ptr<LmdbEnv> env_;
  std::shared_ptr<StoreMetrics> metrics_;
  PeriodicWorker worker_;  // last: stopped before the environment closes
};

}  // namespace portcullis::store
