// Helpers for the state store tests: temporary directories, LMDB and Redis
// stores to test, and the shared redis-server of the test process.
// Test-only; use from the test's thread.
#pragma once

#include <memory>
#include <string>

#include "portcullis/store.h"
#include "portcullis/store_options.h"

namespace portcullis::store::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// LMDB options for tests: small map, fast sync, no background sweep
// during the test unless asked.
LmdbOptions TestLmdbOptions();

// The process's redis-server (started on first use, stopped at exit), or
// nullptr with `error`. Without PORTCULLIS_WITH_REDIS_SERVER always nullptr.
uint16_t SharedRedisPort(std::string* error);

// Redis options for the shared server with a key prefix unique to the call.
RedisOptions TestRedisOptions(uint16_t port);

}  // namespace portcullis::store::testing
