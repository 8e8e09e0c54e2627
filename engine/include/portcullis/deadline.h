// A point in time by which work must be finished, on the steady clock.
//
// Value type; thread-safe to copy and read.
#pragma once

#include <chrono>

namespace portcullis {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  static Deadline After(std::chrono::milliseconds timeout) {
    return Deadline(Clock::now() + timeout);
  }
  static Deadline Never() { return Deadline(Clock::time_point::max()); }

  explicit Deadline(Clock::time_point when) : when_(when) {}
  Clock::time_point when() const { return when_; }
  bool expired() const { return Clock::now() >= when_; }
  std::chrono::milliseconds remaining() const {
    auto left = when_ - Clock::now();
    if (left <= Clock::duration::zero()) return std::chrono::milliseconds(0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(left);
  }
  // The earlier of two deadlines.
  Deadline Min(Deadline other) const { return other.when_ < when_ ? other : *this; }

 private:
  Clock::time_point when_;
};

}  // namespace portcullis
