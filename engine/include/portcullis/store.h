// The state-store contract: a small key-value store with per-entry expiry,
// shared by every check that keeps state between messages (greylisting
// first; rate limits, reputation and DMARC report data later).
//
// Two implementations: LMDB under the state directory (the default, one
// host, survives restarts and crashes) and Redis (several gateways sharing
// one state). One Store serves the whole process; it is created by the engine
// (or by an offline command that works on state) and outlives every Snapshot
// and check that uses it. All methods are thread-safe.
//
// Calls block the calling thread, but never past the deadline given nor the
// store's own per-call timeout: a store that cannot answer in time returns
// kUnavailable, and the caller fails open. Keys and values are arbitrary
// bytes; each check keeps its keys under its own prefix ("greylist:...").
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/deadline.h"

namespace portcullis::store {

enum class Status {
  kOk,
  kNotFound,     // no such key, or it has expired
  kUnavailable,  // timeout, connection down, disk or map full, I/O error:
                 // a retry later may succeed; callers fail open
};

std::string_view StatusName(Status status);  // "ok", "not_found", "unavailable"

using Clock = std::chrono::system_clock;
using Ttl = std::chrono::seconds;

struct Entry {
  std::string value;
  Clock::time_point expires;  // wall clock; entries past it are gone
};

struct GetResult {
  Status status = Status::kUnavailable;
  Entry entry;         // filled when kOk
  std::string error;   // why, when kUnavailable
};

struct IncrementResult {
  Status status = Status::kUnavailable;  // kOk or kUnavailable
  int64_t value = 0;                     // the value after the increment
  std::string error;
};

struct WriteResult {
  Status status = Status::kUnavailable;  // kOk, kNotFound (Delete) or kUnavailable
  std::string error;
};

struct PutRequest {
  std::string key;
  std::string value;
  Ttl ttl{0};
};

class Store {
 public:
  virtual ~Store() = default;

  // "lmdb" or "redis": the label in metrics and logs.
  virtual std::string_view kind() const = 0;

  virtual GetResult Get(std::string_view key, Deadline deadline) = 0;
  // Creates or replaces the entry; it expires `ttl` from now (ttl > 0).
  virtual WriteResult Put(std::string_view key, std::string_view value, Ttl ttl,
                          Deadline deadline) = 0;
  // Atomically adds `delta` to the decimal integer stored at `key` (a missing
  // or expired entry counts as 0) and sets the entry to expire `ttl` from now.
  // A value that is not a decimal integer is replaced as if missing.
  virtual IncrementResult Increment(std::string_view key, int64_t delta, Ttl ttl,
                                    Deadline deadline) = 0;
  // kOk when an entry was removed, kNotFound when there was none.
  virtual WriteResult Delete(std::string_view key, Deadline deadline) = 0;

  // Several keys in one round trip where the store can (Redis pipelines):
  // one result per key, in order. The default asks one by one.
  virtual std::vector<GetResult> GetMany(std::span<const std::string> keys,
                                         Deadline deadline);
  virtual std::vector<WriteResult> PutMany(std::span<const PutRequest> entries,
                                           Deadline deadline);

  // Visits live entries whose key starts with `prefix`, in no particular
  // order, until `visit` returns false. For reporting and the admin
  // commands, not the message path: it may take long on big stores, so it is
  // bounded only by `deadline`. kUnavailable when the store failed or the
  // deadline passed before the end.
  using Visitor = std::function<bool(std::string_view key, const Entry& entry)>;
  virtual WriteResult Scan(std::string_view prefix, const Visitor& visit,
                           Deadline deadline) = 0;
};

}  // namespace portcullis::store
