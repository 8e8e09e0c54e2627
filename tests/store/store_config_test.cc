// ReadStoreOptions: the `store` section's keys, defaults, ranges and errors
// with file:line.
#include <gtest/gtest.h>

#include "config_tree.h"
#include "store/store_config.h"

namespace portcullis::store {
namespace {

using portcullis::testing::Bool;
using portcullis::testing::Num;
using portcullis::testing::Str;
using portcullis::testing::Table;

std::string ReadAll(const ConfigValue& store, StoreOptions* options) {
  ConfigErrors errors;
  {
    ConfigReader reader(&store, "store", "portcullis.lua", &errors);
    ReadStoreOptions(std::move(reader), options);
  }
  std::string all;
  for (const std::string& error : errors.all()) all += error + "\n";
  return all;
}

TEST(StoreConfigTest, DefaultsWhenAbsent) {
  ConfigErrors errors;
  StoreOptions options;
  {
    ConfigReader reader(nullptr, "store", "portcullis.lua", &errors);
    ReadStoreOptions(std::move(reader), &options);
  }
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(options, StoreOptions{});
  EXPECT_EQ(options.backend, StoreOptions::Backend::kLmdb);
  EXPECT_EQ(options.lmdb.path, "store");
  EXPECT_EQ(options.lmdb.map_size_bytes, 256ull << 20);
  EXPECT_EQ(options.lmdb.sync_interval, std::chrono::milliseconds(1000));
}

TEST(StoreConfigTest, ReadsEveryKey) {
  ConfigValue store = Table({
      {"backend", Str("redis", 2)},
      {"lmdb", Table({{"path", Str("/srv/state", 3)},
                      {"map_size_mb", Num(1024, 3)},
                      {"recreate_when_corrupt", Bool(false, 3)},
                      {"sync_interval_ms", Num(0, 3)},
                      {"expiry_interval_s", Num(30, 3)},
                      {"expiry_batch", Num(50, 3)}},
                     3)},
      {"redis", Table({{"host", Str("10.0.0.5", 4)},
                       {"port", Num(6380, 4)},
                       {"unix_socket", Str("/run/redis.sock", 4)},
                       {"username", Str("gw", 4)},
                       {"password", Str("secret", 4)},
                       {"database", Num(3, 4)},
                       {"key_prefix", Str("pc:", 4)},
                       {"pool_size", Num(4, 4)},
                       {"connect_timeout_ms", Num(300, 4)},
                       {"call_timeout_ms", Num(50, 4)},
                       {"backoff_min_ms", Num(20, 4)},
                       {"backoff_max_ms", Num(2000, 4)}},
                      4)},
  });
  StoreOptions options;
  EXPECT_EQ(ReadAll(store, &options), "");
  StoreOptions want;
  want.backend = StoreOptions::Backend::kRedis;
  want.lmdb.path = "/srv/state";
  want.lmdb.map_size_bytes = 1024ull << 20;
  want.lmdb.recreate_when_corrupt = false;
  want.lmdb.sync_interval = std::chrono::milliseconds(0);
  want.lmdb.expiry_interval = std::chrono::seconds(30);
  want.lmdb.expiry_batch = 50;
  want.redis.host = "10.0.0.5";
  want.redis.port = 6380;
  want.redis.unix_socket = "/run/redis.sock";
  want.redis.username = "gw";
  want.redis.password = "secret";
  want.redis.database = 3;
  want.redis.key_prefix = "pc:";
  want.redis.pool_size = 4;
  want.redis.connect_timeout = std::chrono::milliseconds(300);
  want.redis.call_timeout = std::chrono::milliseconds(50);
  want.redis.backoff_min = std::chrono::milliseconds(20);
  want.redis.backoff_max = std::chrono::milliseconds(2000);
  EXPECT_TRUE(options == want);
}

TEST(StoreConfigTest, BadInputsNameFileAndLine) {
  const struct {
    const char* name;
    ConfigValue store;
    const char* want;  // substring of the errors
  } cases[] = {
      {"unknown_key", Table({{"lmbd", Table({}, 7)}}), "portcullis.lua:7: unknown option 'store.lmbd'"},
      {"unknown_backend", Table({{"backend", Str("memcached", 3)}}), "portcullis.lua:3: store.backend"},
      {"unknown_nested_key", Table({{"redis", Table({{"hots", Str("x", 5)}}, 5)}}),
       "portcullis.lua:5: unknown option 'store.redis.hots'"},
      {"wrong_type", Table({{"lmdb", Table({{"map_size_mb", Str("big", 9)}})}}),
       "portcullis.lua:9: store.lmdb.map_size_mb: expected"},
      {"map_too_small", Table({{"lmdb", Table({{"map_size_mb", Num(0, 4)}})}}),
       "portcullis.lua:4: store.lmdb.map_size_mb"},
      {"batch_zero", Table({{"lmdb", Table({{"expiry_batch", Num(0, 6)}})}}),
       "portcullis.lua:6: store.lmdb.expiry_batch"},
      {"port_range", Table({{"redis", Table({{"port", Num(70000, 8)}})}}),
       "portcullis.lua:8: store.redis.port"},
      {"pool_zero", Table({{"redis", Table({{"pool_size", Num(0, 2)}})}}),
       "portcullis.lua:2: store.redis.pool_size"},
      {"fractional_timeout", Table({{"redis", Table({{"call_timeout_ms", Num(1.5, 3)}})}}),
       "portcullis.lua:3: store.redis.call_timeout_ms"},
      {"backoff_order",
       Table({{"redis", Table({{"backoff_min_ms", Num(500, 4)}, {"backoff_max_ms", Num(100, 5)}})}}),
       "portcullis.lua:4: store.redis.backoff_min_ms: is above backoff_max_ms"},
      {"empty_path", Table({{"lmdb", Table({{"path", Str("", 6)}})}}),
       "portcullis.lua:6: store.lmdb.path: must not be empty"},
      {"user_without_password", Table({{"redis", Table({{"username", Str("u", 3)}})}}),
       "portcullis.lua:3: store.redis.username: needs a password"},
  };
  for (const auto& c : cases) {
    StoreOptions options;
    std::string errors = ReadAll(c.store, &options);
    EXPECT_NE(errors.find(c.want), std::string::npos)
        << c.name << ": got \"" << errors << "\", want it to contain \"" << c.want << "\"";
  }
}

}  // namespace
}  // namespace portcullis::store
