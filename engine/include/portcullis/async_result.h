// A value produced later by another thread, waited for with a deadline: the
// future-like handle that DNS lookups and the checks built on them return.
//
// Shared through std::shared_ptr between the producer (usually the resolver's
// loop thread) and the waiter (a check at end of message). Set() and the
// waits are thread-safe; the first Set() wins and later ones are ignored, so
// a timeout path and a late answer cannot both "complete" it.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

#include "portcullis/deadline.h"

namespace portcullis {

template <typename T>
class AsyncResult {
 public:
  // Returns false when a value was already set.
  bool Set(T value) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (value_) return false;
      value_.emplace(std::move(value));
    }
    ready_.notify_all();
    return true;
  }

  bool ready() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return value_.has_value();
  }

  // The value if it is set by `deadline`, else nullopt. Never blocks past it.
  std::optional<T> WaitUntil(Deadline deadline) const {
    std::unique_lock<std::mutex> lock(mutex_);
    if (deadline.when() == Deadline::Clock::time_point::max()) {
      ready_.wait(lock, [&] { return value_.has_value(); });
    } else {
      ready_.wait_until(lock, deadline.when(), [&] { return value_.has_value(); });
    }
    return value_;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable ready_;
  std::optional<T> value_;
};

template <typename T>
using AsyncResultPtr = std::shared_ptr<AsyncResult<T>>;

template <typename T>
AsyncResultPtr<T> MakeAsyncResult() {
  return std::make_shared<AsyncResult<T>>();
}

}  // namespace portcullis
