// Redis-only behaviour against a real redis-server: AUTH and SELECT, key
// prefixes, outages (killed and hung server), and one round trip per batch.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "redis_server_process.h"
#include "store/redis_store.h"
#include "store_test_util.h"

namespace portcullis::store {
namespace {

using portcullis::testing::RedisServerProcess;

Deadline Soon() { return Deadline::After(std::chrono::seconds(5)); }

std::unique_ptr<RedisServerProcess> StartServer(const std::string& password) {
  std::string error;
  auto server = RedisServerProcess::Start(password, &error);
  EXPECT_TRUE(server) << error;
  return server;
}

// A field of INFO's reply, -1 when absent.
long long InfoField(const RedisServerProcess& server, const std::string& field) {
  std::string info = server.Command("INFO stats");
  size_t at = info.find(field + ":");
  if (at == std::string::npos) return -1;
  return std::atoll(info.c_str() + at + field.size() + 1);
}

TEST(RedisIntegrationTest, PasswordAndDatabase) {
  auto server = StartServer("s3cret");
  ASSERT_TRUE(server);
  RedisOptions options = testing::TestRedisOptions(server->port());
  options.password = "s3cret";
  options.database = 3;
  RedisStore in_db3(options, nullptr);
  ASSERT_EQ(in_db3.Put("k", "three", Ttl(60), Soon()).status, Status::kOk);
  options.database = 0;
  RedisStore in_db0(options, nullptr);
  EXPECT_EQ(in_db0.Get("k", Soon()).status, Status::kNotFound) << "SELECT was not applied";
  GetResult got = in_db3.Get("k", Soon());
  ASSERT_EQ(got.status, Status::kOk) << got.error;
  EXPECT_EQ(got.entry.value, "three");
}

TEST(RedisIntegrationTest, WrongOrMissingPasswordIsUnavailableWithRedisText) {
  auto server = StartServer("s3cret");
  ASSERT_TRUE(server);
  const struct {
    const char* name;
    const char* password;
    const char* want;
    bool backoff;  // a failed AUTH at connect marks the store down
  } cases[] = {{"wrong", "nope", "AUTH failed: WRONGPASS", true},
               {"missing", "", "NOAUTH", false}};
  for (const auto& c : cases) {
    RedisOptions options = testing::TestRedisOptions(server->port());
    options.password = c.password;
    RedisStore store(options, nullptr);
    GetResult got = store.Get("k", Soon());
    EXPECT_EQ(got.status, Status::kUnavailable) << c.name;
    EXPECT_NE(got.error.find(c.want), std::string::npos)
        << c.name << ": got \"" << got.error << "\", want it to contain \"" << c.want << "\"";
    // During the backoff the next call fails at once, naming the cause; an
    // error reply to a command is just that call's failure.
    GetResult again = store.Get("k", Soon());
    EXPECT_EQ(again.status, Status::kUnavailable);
    std::string want_again = c.backoff ? "redis unavailable, next attempt in" : c.want;
    EXPECT_NE(again.error.find(want_again), std::string::npos) << c.name << ": " << again.error;
    if (c.backoff) {
      EXPECT_NE(again.error.find("WRONGPASS"), std::string::npos) << again.error;
    }
  }
}

TEST(RedisIntegrationTest, KeyPrefixesIsolateStores) {
  std::string error;
  uint16_t port = testing::SharedRedisPort(&error);
  ASSERT_NE(port, 0) << error;
  RedisOptions a_options = testing::TestRedisOptions(port);
  RedisOptions b_options = testing::TestRedisOptions(port);
  ASSERT_NE(a_options.key_prefix, b_options.key_prefix);
  RedisStore a(a_options, nullptr), b(b_options, nullptr);
  ASSERT_EQ(a.Put("k", "from-a", Ttl(60), Soon()).status, Status::kOk);
  EXPECT_EQ(b.Get("k", Soon()).status, Status::kNotFound);
  ASSERT_EQ(b.Put("k", "from-b", Ttl(60), Soon()).status, Status::kOk);
  EXPECT_EQ(a.Get("k", Soon()).entry.value, "from-a");
  int visits = 0;
  b.Scan("", [&](std::string_view key, const Entry& entry) {
    ++visits;
    EXPECT_EQ(key, "k") << "the prefix must be stripped";
    EXPECT_EQ(entry.value, "from-b");
    return true;
  }, Soon());
  EXPECT_EQ(visits, 1);
}

TEST(RedisIntegrationTest, GetManyIsOneRoundTrip) {
  auto server = StartServer("");
  ASSERT_TRUE(server);
  RedisOptions options = testing::TestRedisOptions(server->port());
  options.pool_size = 1;
  RedisStore store(options, nullptr);
  std::vector<std::string> keys;
  for (int i = 0; i < 50; ++i) keys.push_back("k" + std::to_string(i));
  ASSERT_EQ(store.Put("k7", "seven", Ttl(60), Soon()).status, Status::kOk);  // connects
  // total_reads_processed counts the server's socket reads: the cost of the
  // INFO calls themselves is measured first.
  long long r0 = InfoField(*server, "total_reads_processed");
  long long r1 = InfoField(*server, "total_reads_processed");
  std::vector<GetResult> got = store.GetMany(keys, Soon());
  long long r2 = InfoField(*server, "total_reads_processed");
  ASSERT_GE(r0, 0);
  ASSERT_EQ(got.size(), 50u);
  EXPECT_EQ(got[7].entry.value, "seven");
  EXPECT_EQ(got[8].status, Status::kNotFound);
  EXPECT_EQ((r2 - r1) - (r1 - r0), 1) << "GetMany of 50 keys took more than one read";

  // Asking one key at a time costs one read per key: the measure can fail.
  long long r3 = InfoField(*server, "total_reads_processed");
  for (int i = 0; i < 5; ++i) store.Get(keys[i], Soon());
  long long r4 = InfoField(*server, "total_reads_processed");
  EXPECT_EQ((r4 - r3) - (r1 - r0), 5);
}

TEST(RedisIntegrationTest, KilledServerFailsFastThenRecovers) {
  auto server = StartServer("");
  ASSERT_TRUE(server);
  RedisOptions options = testing::TestRedisOptions(server->port());
  options.call_timeout = std::chrono::milliseconds(200);
  options.connect_timeout = std::chrono::milliseconds(200);
  options.backoff_min = std::chrono::milliseconds(300);
  options.backoff_max = std::chrono::milliseconds(600);
  RedisStore store(options, nullptr);
  ASSERT_EQ(store.Put("k", "v", Ttl(60), Soon()).status, Status::kOk);
  server->Stop();

  auto start = std::chrono::steady_clock::now();
  GetResult down = store.Get("k", Soon());
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(down.status, Status::kUnavailable);
  EXPECT_FALSE(down.error.empty());
  // Bounded by the call timeout plus slack for a loaded machine.
  EXPECT_LT(took, options.call_timeout + std::chrono::seconds(1)) << down.error;

  GetResult fast = store.Get("k", Soon());
  EXPECT_EQ(fast.status, Status::kUnavailable);
  EXPECT_NE(fast.error.find("redis unavailable, next attempt in"), std::string::npos)
      << fast.error;

  std::string error;
  ASSERT_TRUE(server->Restart(&error)) << error;
  // Bounded: the backoff is at most 600 ms; poll for 5 s.
  Status status = Status::kUnavailable;
  for (int i = 0; i < 100 && status != Status::kNotFound; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = store.Get("k", Soon()).status;  // the restarted server is empty
  }
  EXPECT_EQ(status, Status::kNotFound);
  EXPECT_EQ(store.Put("k", "back", Ttl(60), Soon()).status, Status::kOk);
}

TEST(RedisIntegrationTest, HungServerTimesOutWithinCallTimeout) {
  auto server = StartServer("");
  ASSERT_TRUE(server);
  RedisOptions options = testing::TestRedisOptions(server->port());
  options.call_timeout = std::chrono::milliseconds(150);
  options.backoff_min = std::chrono::milliseconds(2000);
  options.backoff_max = std::chrono::milliseconds(2000);
  RedisStore store(options, nullptr);
  ASSERT_EQ(store.Put("k", "v", Ttl(60), Soon()).status, Status::kOk);
  server->Pause();
  auto start = std::chrono::steady_clock::now();
  IncrementResult hung = store.Increment("k2", 1, Ttl(60), Soon());
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(hung.status, Status::kUnavailable);
  EXPECT_NE(hung.error.find("timed out"), std::string::npos) << hung.error;
  EXPECT_GE(took, std::chrono::milliseconds(140)) << "did not wait for the reply at all";
  EXPECT_LT(took, options.call_timeout + std::chrono::seconds(1));
  // A short caller deadline bounds the call below call_timeout too, and the
  // pool (down for 2 s) answers at once.
  GetResult fast = store.Get("k", Deadline::After(std::chrono::milliseconds(20)));
  EXPECT_EQ(fast.status, Status::kUnavailable);
  server->Resume();
}

TEST(RedisIntegrationTest, ShortDeadlineDoesNotMarkStoreDown) {
  auto server = StartServer("");
  ASSERT_TRUE(server);
  RedisOptions options = testing::TestRedisOptions(server->port());
  options.call_timeout = std::chrono::milliseconds(1000);
  options.backoff_min = std::chrono::milliseconds(5000);
  options.backoff_max = std::chrono::milliseconds(5000);
  RedisStore store(options, nullptr);
  ASSERT_EQ(store.Put("k", "v", Ttl(60), Soon()).status, Status::kOk);
  server->Pause();
  GetResult late = store.Get("k", Deadline::After(std::chrono::milliseconds(50)));
  EXPECT_EQ(late.status, Status::kUnavailable);
  server->Resume();
  GetResult got = store.Get("k", Soon());
  EXPECT_EQ(got.status, Status::kOk) << "a caller's short deadline put the store in backoff: "
                                     << got.error;
}

TEST(RedisIntegrationTest, EscapeRedisGlob) {
  const struct {
    const char* in;
    const char* want;
  } cases[] = {{"plain:", "plain:"}, {"a*b?c", "a\\*b\\?c"}, {"[x]\\", "\\[x\\]\\\\"}};
  for (const auto& c : cases) EXPECT_EQ(EscapeRedisGlob(c.in), c.want) << c.in;
}

}  // namespace
}  // namespace portcullis::store
