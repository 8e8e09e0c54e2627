#include "store/store_config.h"

namespace portcullis::store {
namespace {

// Limits on operator input, with the reason for each bound.
constexpr int64_t kMaxMapSizeMb = int64_t{1} << 22;  // 4 TiB: beyond any sane state store
constexpr int64_t kMaxSyncIntervalMs = 60000;         // longer risks a minute of state on power loss
constexpr int64_t kMaxExpiryIntervalS = 86400;        // expired entries are invisible anyway
constexpr int64_t kMaxExpiryBatch = 1000000;          // one write txn; bigger holds the writer long
constexpr int64_t kMaxPoolSize = 1024;                // more than libmilter's thread pool is waste
constexpr int64_t kMaxTimeoutMs = 60000;              // a store call inside an SMTP transaction
constexpr int64_t kMaxBackoffMs = 3600000;

void ReadLmdb(ConfigReader reader, LmdbOptions* lmdb) {
  lmdb->path = reader.String("path", lmdb->path);
  if (lmdb->path.empty()) reader.Error("path", "must not be empty");
  lmdb->map_size_bytes = static_cast<uint64_t>(reader.Integer(
                             "map_size_mb", static_cast<int64_t>(lmdb->map_size_bytes >> 20), 1,
                             kMaxMapSizeMb))
                         << 20;
  lmdb->recreate_when_corrupt =
      reader.Boolean("recreate_when_corrupt", lmdb->recreate_when_corrupt);
  lmdb->sync_interval = std::chrono::milliseconds(
      reader.Integer("sync_interval_ms", lmdb->sync_interval.count(), 0, kMaxSyncIntervalMs));
  lmdb->expiry_interval = std::chrono::seconds(
      reader.Integer("expiry_interval_s", lmdb->expiry_interval.count(), 1, kMaxExpiryIntervalS));
  lmdb->expiry_batch =
      static_cast<uint32_t>(reader.Integer("expiry_batch", lmdb->expiry_batch, 1, kMaxExpiryBatch));
}

void ReadRedis(ConfigReader reader, RedisOptions* redis) {
  redis->host = reader.String("host", redis->host);
  redis->port = static_cast<uint16_t>(reader.Integer("port", redis->port, 1, 65535));
  redis->unix_socket = reader.String("unix_socket", redis->unix_socket);
  if (redis->host.empty() && redis->unix_socket.empty()) {
    reader.Error("host", "must be set unless unix_socket is");
  }
  redis->username = reader.String("username", redis->username);
  redis->password = reader.String("password", redis->password);
  if (!redis->username.empty() && redis->password.empty()) {
    reader.Error("username", "needs a password (Redis 6 AUTH username password)");
  }
  // Redis's `databases` setting has no fixed maximum; 16 is its default.
  redis->database = static_cast<int>(reader.Integer("database", redis->database, 0, 1 << 20));
  redis->key_prefix = reader.String("key_prefix", redis->key_prefix);
  redis->pool_size = static_cast<int>(reader.Integer("pool_size", redis->pool_size, 1, kMaxPoolSize));
  redis->connect_timeout = std::chrono::milliseconds(
      reader.Integer("connect_timeout_ms", redis->connect_timeout.count(), 1, kMaxTimeoutMs));
  redis->call_timeout = std::chrono::milliseconds(
      reader.Integer("call_timeout_ms", redis->call_timeout.count(), 1, kMaxTimeoutMs));
  redis->backoff_min = std::chrono::milliseconds(
      reader.Integer("backoff_min_ms", redis->backoff_min.count(), 1, kMaxBackoffMs));
  redis->backoff_max = std::chrono::milliseconds(
      reader.Integer("backoff_max_ms", redis->backoff_max.count(), 1, kMaxBackoffMs));
  if (redis->backoff_min > redis->backoff_max) {
    reader.Error("backoff_min_ms", "is above backoff_max_ms");
  }
}

}  // namespace

void ReadStoreOptions(ConfigReader reader, StoreOptions* options) {
  std::string backend = reader.Choice("backend", "lmdb", {"lmdb", "redis"});
  options->backend =
      backend == "redis" ? StoreOptions::Backend::kRedis : StoreOptions::Backend::kLmdb;
  ReadLmdb(reader.Table("lmdb"), &options->lmdb);
  ReadRedis(reader.Table("redis"), &options->redis);
}

}  // namespace portcullis::store
