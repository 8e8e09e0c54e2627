// The Redis state store: several gateways share one state. Entries expire
// by Redis's own TTL (PX), every key carries key_prefix, and each call is
// one pipelined round trip bounded by min(call_timeout, deadline).
//
// Owns its connection pool. Thread-safe. While Redis is down calls fail at
// once with kUnavailable (see redis_pool.h); it comes back by itself.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "portcullis/store.h"
#include "portcullis/store_options.h"
#include "store/redis_pool.h"

namespace portcullis::store {

class RedisStore final : public Store {
 public:
  // Connects lazily: a Redis that is down at start-up does not stop the
  // daemon (checks fail open until it is back). `metrics` may be null.
  RedisStore(const RedisOptions& options, std::shared_ptr<StoreMetrics> metrics);

  std::string_view kind() const override { return "redis"; }
  GetResult Get(std::string_view key, Deadline deadline) override;
  WriteResult Put(std::string_view key, std::string_view value, Ttl ttl,
                  Deadline deadline) override;
  IncrementResult Increment(std::string_view key, int64_t delta, Ttl ttl,
                            Deadline deadline) override;
  WriteResult Delete(std::string_view key, Deadline deadline) override;
  std::vector<GetResult> GetMany(std::span<const std::string> keys, Deadline deadline) override;
  std::vector<WriteResult> PutMany(std::span<const PutRequest> entries,
                                   Deadline deadline) override;
  WriteResult Scan(std::string_view prefix, const Visitor& visit, Deadline deadline) override;

 private:
  // One round trip on a pooled connection. False with `error` when the
  // store is down, the deadline passed or the connection failed.
  bool Run(const std::vector<RedisCommand>& commands, Deadline deadline,
           std::vector<RedisReplyPtr>* replies, std::string* error);
  bool RunOn(RedisConnection* connection, const std::vector<RedisCommand>& commands,
             Deadline deadline, std::vector<RedisReplyPtr>* replies, std::string* error,
             bool* mark_down);
  std::string Key(std::string_view key) const { return options_.key_prefix + std::string(key); }

  const RedisOptions options_;
  RedisPool pool_;
};

// `text` with Redis glob metacharacters (* ? [ ] \) escaped, for SCAN MATCH.
std::string EscapeRedisGlob(std::string_view text);

}  // namespace portcullis::store
