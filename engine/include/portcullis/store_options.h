// The `store` section of the config: which state store the process uses and
// how to reach it. Compared field by field so that a reload which leaves the
// section alone keeps the open store (LMDB allows one environment per file
// per process; Redis keeps its warm connections).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace portcullis::store {

struct LmdbOptions {
  // The LMDB directory; relative paths are under the state directory.
  std::string path = "store";
  uint64_t map_size_bytes = 256ull << 20;
  // A file LMDB cannot open as a database (corrupt, or not LMDB at all):
  // true moves it aside (<path>/data.mdb.corrupt-<unix time>) and starts
  // empty; false refuses to start with a clear error.
  bool recreate_when_corrupt = true;
  // Commits are not fsynced; a background thread syncs this often (0 = sync
  // every commit). A process crash loses nothing (the kernel holds the
  // pages); a power loss may lose the last interval.
  std::chrono::milliseconds sync_interval{1000};
  // How often the background sweep deletes expired entries, and how many it
  // deletes per write transaction (so a sweep never holds the writer long).
  std::chrono::seconds expiry_interval{60};
  uint32_t expiry_batch = 1000;
  bool operator==(const LmdbOptions&) const = default;
};

struct RedisOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 6379;
  std::string unix_socket;  // used instead of host:port when set
  std::string password;     // "" = no AUTH
  std::string username;     // Redis 6 ACL user; "" = default user
  int database = 0;
  std::string key_prefix = "portcullis:";
  int pool_size = 8;
  std::chrono::milliseconds connect_timeout{200};
  std::chrono::milliseconds call_timeout{100};  // every command, round trip
  // After a failure no connection is tried for a while, doubling from the
  // minimum to the maximum while failures go on: calls in between fail fast.
  std::chrono::milliseconds backoff_min{100};
  std::chrono::milliseconds backoff_max{5000};
  bool operator==(const RedisOptions&) const = default;
};

struct StoreOptions {
  enum class Backend { kLmdb, kRedis };
  Backend backend = Backend::kLmdb;
  LmdbOptions lmdb;
  RedisOptions redis;
  bool operator==(const StoreOptions&) const = default;
};

}  // namespace portcullis::store
