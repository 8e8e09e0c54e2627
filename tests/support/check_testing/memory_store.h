// An in-memory store::Store for unit tests of checks and commands that keep
// state (greylisting first): entries with expiry on an injectable clock, a
// switch that makes every call fail with kUnavailable (to test fail-open
// paths), and call counters so a test can assert "no store access" or "one
// round trip". Test-only; not for production (no size bound, no sweep:
// expired entries are dropped when touched or scanned). An entry is gone
// once the clock is past its expiry (store.h), i.e. still there at it.
//
// Thread-safe: one mutex guards everything, so tests may share one store
// between threads. The clock function is called with the mutex held and must
// not call back into the store.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "portcullis/store.h"

namespace portcullis::testing {

class MemoryStore : public store::Store {
 public:
  using Now = std::function<store::Clock::time_point()>;
  using Entries = std::map<std::string, store::Entry, std::less<>>;

  // Calls by kind; GetMany/PutMany count once each however many keys they
  // carry (one round trip, as Redis pipelines them).
  struct Calls {
    int get = 0;
    int get_many = 0;
    int put = 0;
    int put_many = 0;
    int increment = 0;
    int erase = 0;  // Delete
    int scan = 0;
    int total() const { return get + get_many + put + put_many + increment + erase + scan; }
  };

  explicit MemoryStore(Now now = [] { return store::Clock::now(); }) : now_(std::move(now)) {}

  std::string_view kind() const override { return "memory"; }

  // While set, every call returns kUnavailable (and changes nothing).
  void SetFailing(bool failing) {
    std::lock_guard lock(mutex_);
    failing_ = failing;
  }
  Calls calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  void ResetCalls() {
    std::lock_guard lock(mutex_);
    calls_ = Calls{};
  }
  // Live entries (expired ones dropped first), for assertions.
  Entries Snapshot() {
    std::lock_guard lock(mutex_);
    DropExpired();
    return entries_;
  }
  // Inserts without counting a call, with an absolute expiry (test set-up).
  void Seed(std::string key, std::string value, store::Clock::time_point expires) {
    std::lock_guard lock(mutex_);
    entries_[std::move(key)] = store::Entry{std::move(value), expires};
  }

  store::GetResult Get(std::string_view key, Deadline) override {
    std::lock_guard lock(mutex_);
    ++calls_.get;
    return GetLocked(key);
  }

  store::WriteResult Put(std::string_view key, std::string_view value, store::Ttl ttl,
                         Deadline) override {
    std::lock_guard lock(mutex_);
    ++calls_.put;
    return PutLocked(key, value, ttl);
  }

  store::IncrementResult Increment(std::string_view key, int64_t delta, store::Ttl ttl,
                                   Deadline) override {
    std::lock_guard lock(mutex_);
    ++calls_.increment;
    store::IncrementResult result;
    if (failing_) {
      result.error = "memory store set to fail";
      return result;
    }
    int64_t value = 0;
    auto it = Live(key);
    if (it != entries_.end()) value = ParseDecimal(it->second.value);
    value += delta;
    entries_[std::string(key)] = store::Entry{std::to_string(value), now_() + ttl};
    result.status = store::Status::kOk;
    result.value = value;
    return result;
  }

  store::WriteResult Delete(std::string_view key, Deadline) override {
    std::lock_guard lock(mutex_);
    ++calls_.erase;
    store::WriteResult result;
    if (failing_) {
      result.error = "memory store set to fail";
      return result;
    }
    auto it = Live(key);
    if (it == entries_.end()) {
      result.status = store::Status::kNotFound;
      return result;
    }
    entries_.erase(it);
    result.status = store::Status::kOk;
    return result;
  }

  std::vector<store::GetResult> GetMany(std::span<const std::string> keys, Deadline) override {
    std::lock_guard lock(mutex_);
    ++calls_.get_many;
    std::vector<store::GetResult> results;
    for (const std::string& key : keys) results.push_back(GetLocked(key));
    return results;
  }

  std::vector<store::WriteResult> PutMany(std::span<const store::PutRequest> entries,
                                          Deadline) override {
    std::lock_guard lock(mutex_);
    ++calls_.put_many;
    std::vector<store::WriteResult> results;
    for (const store::PutRequest& entry : entries) {
      results.push_back(PutLocked(entry.key, entry.value, entry.ttl));
    }
    return results;
  }

  store::WriteResult Scan(std::string_view prefix, const Visitor& visit, Deadline) override {
    std::vector<std::pair<std::string, store::Entry>> matches;
    {
      std::lock_guard lock(mutex_);
      ++calls_.scan;
      if (failing_)
        return store::WriteResult{store::Status::kUnavailable, "memory store set to fail"};
      DropExpired();
      for (auto it = entries_.lower_bound(prefix);
           it != entries_.end() && std::string_view(it->first).starts_with(prefix); ++it) {
        matches.emplace_back(it->first, it->second);
      }
    }
    // Visited without the lock, so a visitor may call the store.
    for (const auto& [key, entry] : matches) {
      if (!visit(key, entry)) break;
    }
    return store::WriteResult{store::Status::kOk, ""};
  }

 private:
  static int64_t ParseDecimal(const std::string& text) {
    if (text.empty()) return 0;
    size_t i = text[0] == '-' ? 1 : 0;
    if (i == text.size()) return 0;
    int64_t value = 0;
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return 0;  // not a decimal: as if missing
      value = value * 10 + (text[i] - '0');
    }
    return text[0] == '-' ? -value : value;
  }

  Entries::iterator Live(std::string_view key) {
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.expires < now_()) {
      entries_.erase(it);
      return entries_.end();
    }
    return it;
  }

  void DropExpired() {
    const store::Clock::time_point now = now_();
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = it->second.expires < now ? entries_.erase(it) : std::next(it);
    }
  }

  store::GetResult GetLocked(std::string_view key) {
    store::GetResult result;
    if (failing_) {
      result.error = "memory store set to fail";
      return result;
    }
    auto it = Live(key);
    if (it == entries_.end()) {
      result.status = store::Status::kNotFound;
      return result;
    }
    result.status = store::Status::kOk;
    result.entry = it->second;
    return result;
  }

  store::WriteResult PutLocked(std::string_view key, std::string_view value, store::Ttl ttl) {
    if (failing_)
      return store::WriteResult{store::Status::kUnavailable, "memory store set to fail"};
    entries_[std::string(key)] = store::Entry{std::string(value), now_() + ttl};
    return store::WriteResult{store::Status::kOk, ""};
  }

  mutable std::mutex mutex_;
  Now now_;
  bool failing_ = false;
  Calls calls_;
  Entries entries_;
};

}  // namespace portcullis::testing
