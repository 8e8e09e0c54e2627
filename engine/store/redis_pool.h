// The Redis store's connections: at most pool_size hiredis connections,
// opened on demand, and the "down" state with its backoff.
//
// After a failed connect or call the pool is down for a backoff that
// doubles from backoff_min to backoff_max while failures go on; during it
// Acquire fails at once, so a Redis outage costs a transaction nothing
// beyond one call_timeout. The first success resets the backoff.
//
// Owns every connection (idle ones here, leased ones by the caller until
// Release/Discard). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "portcullis/deadline.h"
#include "portcullis/store_options.h"
#include "store/redis_connection.h"
#include "store/store_metrics.h"

namespace portcullis::store {

class RedisPool {
 public:
  RedisPool(const RedisOptions& options, std::shared_ptr<StoreMetrics> metrics);

  // A connection for one call, or nullptr with `error` (down, no free
  // connection before the deadline, connect/AUTH failure).
  std::unique_ptr<RedisConnection> Acquire(Deadline deadline, std::string* error);
  // The call succeeded: the connection is idle again and the pool is up.
  void Release(std::unique_ptr<RedisConnection> connection);
  // The call failed on I/O: `connection` is dropped, idle ones too (they
  // reach the same server). `mark_down` starts or extends the backoff; false
  // for a timeout that was the caller's short deadline, not Redis's fault.
  void Discard(std::unique_ptr<RedisConnection> connection, const std::string& error,
               bool mark_down);

 private:
  void MarkDownLocked(const std::string& error);

  const RedisOptions options_;
  std::shared_ptr<StoreMetrics> metrics_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
  int open_ = 0;  // idle + leased + being connected
  std::chrono::milliseconds backoff_{0};  // 0 = up
  Deadline::Clock::time_point down_until_{};
  std::string last_error_;
};

}  // namespace portcullis::store
