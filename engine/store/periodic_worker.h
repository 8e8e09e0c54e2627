// One background thread that runs a few tasks, each at its own interval,
// for the stores' housekeeping (LMDB's sync and expiry sweep).
//
// Owns its thread: the destructor (or Stop) wakes it through a condition
// variable and joins it, so a store shuts down promptly even with hour-long
// intervals. Add tasks before Start; Start and Stop from one thread. A task
// may ask `stopping()` to cut a long run short.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace portcullis::store {

class PeriodicWorker {
 public:
  PeriodicWorker() = default;
  ~PeriodicWorker() { Stop(); }
  PeriodicWorker(const PeriodicWorker&) = delete;
  PeriodicWorker& operator=(const PeriodicWorker&) = delete;

  void Add(std::chrono::milliseconds interval, std::function<void()> task);
  void Start();
  void Stop();
  bool stopping() const;

 private:
  struct Task {
    std::chrono::milliseconds interval;
    std::function<void()> run;
    std::chrono::steady_clock::time_point next;
  };
  void Loop();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::vector<Task> tasks_;
  std::thread thread_;
};

}  // namespace portcullis::store
