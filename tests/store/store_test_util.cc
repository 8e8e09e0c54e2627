#include "store_test_util.h"

#include <stdlib.h>

#include <atomic>
#include <filesystem>

#ifdef PORTCULLIS_WITH_REDIS_SERVER
#include "redis_server_process.h"
#endif

namespace portcullis::store::testing {

TempDir::TempDir() {
  char pattern[] = "/tmp/portcullis-store-test-XXXXXX";
  char* made = ::mkdtemp(pattern);
  path_ = made ? made : "/tmp";
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (path_ != "/tmp") std::filesystem::remove_all(path_, ignored);
}

LmdbOptions TestLmdbOptions() {
  LmdbOptions options;
  options.map_size_bytes = 64ull << 20;
  options.sync_interval = std::chrono::milliseconds(100);
  options.expiry_interval = std::chrono::seconds(3600);
  return options;
}

uint16_t SharedRedisPort(std::string* error) {
#ifdef PORTCULLIS_WITH_REDIS_SERVER
  static std::unique_ptr<portcullis::testing::RedisServerProcess> server;
  static std::string start_error;
  if (!server && start_error.empty()) {
    server = portcullis::testing::RedisServerProcess::Start("", &start_error);
    if (!server && start_error.empty()) start_error = "redis-server did not start";
  }
  *error = start_error;
  return server ? server->port() : 0;
#else
  *error = "built without the redis-server fixture";
  return 0;
#endif
}

RedisOptions TestRedisOptions(uint16_t port) {
  static std::atomic<int> counter{0};
  RedisOptions options;
  options.port = port;
  options.key_prefix = "test" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ":";
  options.call_timeout = std::chrono::milliseconds(1000);
  options.connect_timeout = std::chrono::milliseconds(1000);
  return options;
}

}  // namespace portcullis::store::testing
