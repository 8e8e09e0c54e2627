#include "store/redis_store.h"

#include <algorithm>

namespace portcullis::store {
namespace {

// SCAN's COUNT hint: keys Redis looks at per round trip. Big enough that a
// scan of a large store is not dominated by round trips, small enough that
// one SCAN never blocks Redis noticeably.
constexpr const char* kScanCount = "500";
// Entries without a TTL (written by something else) are reported as
// expiring far in the future rather than "now".
constexpr auto kNoExpiry = std::chrono::hours(24 * 365 * 100);

std::string Ms(Ttl ttl) { return std::to_string(std::max<int64_t>(ttl.count(), 1) * 1000); }

// Decodes a GET + PTTL pair into a result.
GetResult FromGetPttl(const redisReply* value, const redisReply* pttl) {
  GetResult result;
  if (std::string text = RedisErrorText(value); !text.empty()) {
    result.error = "redis: " + text;
    return result;
  }
  if (value->type == REDIS_REPLY_NIL || (pttl->type == REDIS_REPLY_INTEGER && pttl->integer == -2)) {
    result.status = Status::kNotFound;
    return result;
  }
  if (value->type != REDIS_REPLY_STRING) {
    result.error = "redis: unexpected reply type to GET";
    return result;
  }
  result.status = Status::kOk;
  result.entry.value.assign(value->str, value->len);
  auto now = Clock::now();
  if (pttl->type == REDIS_REPLY_INTEGER && pttl->integer >= 0) {
    result.entry.expires = now + std::chrono::milliseconds(pttl->integer);
  } else {
    result.entry.expires = now + kNoExpiry;
  }
  return result;
}

WriteResult FromWriteReply(const redisReply* reply) {
  WriteResult result;
  if (std::string text = RedisErrorText(reply); !text.empty()) {
    result.error = "redis: " + text;
    return result;
  }
  result.status = Status::kOk;
  return result;
}

}  // namespace

std::string EscapeRedisGlob(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

RedisStore::RedisStore(const RedisOptions& options, std::shared_ptr<StoreMetrics> metrics)
    : options_(options), pool_(options, std::move(metrics)) {}

bool RedisStore::RunOn(RedisConnection* connection, const std::vector<RedisCommand>& commands,
                       Deadline deadline, std::vector<RedisReplyPtr>* replies,
                       std::string* error, bool* mark_down) {
  auto timeout = std::min(options_.call_timeout, deadline.remaining());
  if (timeout.count() <= 0) {
    *error = "redis: deadline passed";
    *mark_down = false;
    return false;
  }
  if (connection->Pipeline(commands, timeout, replies, error)) return true;
  // A timeout shortened by the caller's deadline says nothing about Redis.
  *mark_down = timeout == options_.call_timeout || error->rfind("timed out", 0) != 0;
  *error = "redis: " + *error;
  return false;
}

bool RedisStore::Run(const std::vector<RedisCommand>& commands, Deadline deadline,
                     std::vector<RedisReplyPtr>* replies, std::string* error) {
  std::unique_ptr<RedisConnection> connection = pool_.Acquire(deadline, error);
  if (!connection) return false;
  bool mark_down = true;
  if (!RunOn(connection.get(), commands, deadline, replies, error, &mark_down)) {
    pool_.Discard(std::move(connection), *error, mark_down);
    return false;
  }
  pool_.Release(std::move(connection));
  return true;
}

GetResult RedisStore::Get(std::string_view key, Deadline deadline) {
  std::string k = Key(key);
  std::vector<RedisReplyPtr> replies;
  GetResult result;
  if (!Run({{"GET", k}, {"PTTL", k}}, deadline, &replies, &result.error)) return result;
  return FromGetPttl(replies[0].get(), replies[1].get());
}

WriteResult RedisStore::Put(std::string_view key, std::string_view value, Ttl ttl,
                            Deadline deadline) {
  std::vector<RedisReplyPtr> replies;
  WriteResult result;
  if (!Run({{"SET", Key(key), std::string(value), "PX", Ms(ttl)}}, deadline, &replies,
           &result.error)) {
    return result;
  }
  return FromWriteReply(replies[0].get());
}

IncrementResult RedisStore::Increment(std::string_view key, int64_t delta, Ttl ttl,
                                      Deadline deadline) {
  std::string k = Key(key);
  std::vector<RedisReplyPtr> replies;
  IncrementResult result;
  if (!Run({{"MULTI"},
            {"INCRBY", k, std::to_string(delta)},
            {"PEXPIRE", k, Ms(ttl)},
            {"EXEC"}},
           deadline, &replies, &result.error)) {
    return result;
  }
  const redisReply* exec = replies[3].get();
  if (std::string text = RedisErrorText(exec); !text.empty()) {
    result.error = "redis: " + text;
    return result;
  }
  if (exec->type != REDIS_REPLY_ARRAY || exec->elements != 2) {
    result.error = "redis: unexpected reply to EXEC";
    return result;
  }
  const redisReply* incr = exec->element[0];
  if (incr->type == REDIS_REPLY_INTEGER) {
    result.status = Status::kOk;
    result.value = incr->integer;
    return result;
  }
  // INCRBY refused the value ("not an integer or out of range"): the
  // contract treats it as missing, so the new value is `delta`.
  replies.clear();
  if (!Run({{"SET", k, std::to_string(delta), "PX", Ms(ttl)}}, deadline, &replies,
           &result.error)) {
    return result;
  }
  WriteResult set = FromWriteReply(replies[0].get());
  result.status = set.status;
  result.error = set.error;
  result.value = delta;
  return result;
}

WriteResult RedisStore::Delete(std::string_view key, Deadline deadline) {
  std::vector<RedisReplyPtr> replies;
  WriteResult result;
  if (!Run({{"DEL", Key(key)}}, deadline, &replies, &result.error)) return result;
  result = FromWriteReply(replies[0].get());
  if (result.status == Status::kOk && replies[0]->type == REDIS_REPLY_INTEGER &&
      replies[0]->integer == 0) {
    result.status = Status::kNotFound;
  }
  return result;
}

std::vector<GetResult> RedisStore::GetMany(std::span<const std::string> keys,
                                           Deadline deadline) {
  std::vector<GetResult> results(keys.size());
  if (keys.empty()) return results;
  std::vector<RedisCommand> commands;
  commands.reserve(keys.size() * 2);
  for (const std::string& key : keys) {
    std::string k = Key(key);
    commands.push_back({"GET", k});
    commands.push_back({"PTTL", std::move(k)});
  }
  std::vector<RedisReplyPtr> replies;
  std::string error;
  if (!Run(commands, deadline, &replies, &error)) {
    for (GetResult& result : results) result.error = error;
    return results;
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    results[i] = FromGetPttl(replies[2 * i].get(), replies[2 * i + 1].get());
  }
  return results;
}

std::vector<WriteResult> RedisStore::PutMany(std::span<const PutRequest> entries,
                                             Deadline deadline) {
  std::vector<WriteResult> results(entries.size());
  if (entries.empty()) return results;
  std::vector<RedisCommand> commands;
  commands.reserve(entries.size());
  for (const PutRequest& entry : entries) {
    commands.push_back({"SET", Key(entry.key), entry.value, "PX", Ms(entry.ttl)});
  }
  std::vector<RedisReplyPtr> replies;
  std::string error;
  if (!Run(commands, deadline, &replies, &error)) {
    for (WriteResult& result : results) result.error = error;
    return results;
  }
  for (size_t i = 0; i < entries.size(); ++i) results[i] = FromWriteReply(replies[i].get());
  return results;
}

WriteResult RedisStore::Scan(std::string_view prefix, const Visitor& visit, Deadline deadline) {
  WriteResult result;
  std::unique_ptr<RedisConnection> connection = pool_.Acquire(deadline, &result.error);
  if (!connection) return result;
  std::string pattern = EscapeRedisGlob(options_.key_prefix + std::string(prefix)) + "*";
  std::string cursor = "0";
  std::vector<RedisReplyPtr> replies;
  bool mark_down = true;
  // Bounded by the deadline: each round trip is checked against it, and
  // SCAN's cursor ends at "0" after a full pass.
  do {
    if (!RunOn(connection.get(), {{"SCAN", cursor, "MATCH", pattern, "COUNT", kScanCount}},
               deadline, &replies, &result.error, &mark_down)) {
      pool_.Discard(std::move(connection), result.error, mark_down);
      return result;
    }
    const redisReply* scan = replies[0].get();
    if (scan->type != REDIS_REPLY_ARRAY || scan->elements != 2 ||
        scan->element[0]->type != REDIS_REPLY_STRING ||
        scan->element[1]->type != REDIS_REPLY_ARRAY) {
      result.error = "redis: unexpected reply to SCAN: " + RedisErrorText(scan);
      pool_.Release(std::move(connection));
      return result;
    }
    cursor.assign(scan->element[0]->str, scan->element[0]->len);
    std::vector<std::string> keys;
    for (size_t i = 0; i < scan->element[1]->elements; ++i) {
      const redisReply* key = scan->element[1]->element[i];
      keys.emplace_back(key->str, key->len);
    }
    if (keys.empty()) continue;
    std::vector<RedisCommand> commands;
    for (const std::string& key : keys) {
      commands.push_back({"GET", key});
      commands.push_back({"PTTL", key});
    }
    std::vector<RedisReplyPtr> values;
    if (!RunOn(connection.get(), commands, deadline, &values, &result.error, &mark_down)) {
      pool_.Discard(std::move(connection), result.error, mark_down);
      return result;
    }
    for (size_t i = 0; i < keys.size(); ++i) {
      GetResult entry = FromGetPttl(values[2 * i].get(), values[2 * i + 1].get());
      if (entry.status != Status::kOk) continue;  // expired between SCAN and GET
      std::string_view stripped = std::string_view(keys[i]).substr(options_.key_prefix.size());
      if (!visit(stripped, entry.entry)) {
        pool_.Release(std::move(connection));
        result.status = Status::kOk;
        return result;
      }
    }
  } while (cursor != "0");
  pool_.Release(std::move(connection));
  result.status = Status::kOk;
  return result;
}

}  // namespace portcullis::store
