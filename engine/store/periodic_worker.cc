#include "store/periodic_worker.h"

#include <algorithm>

namespace portcullis::store {

void PeriodicWorker::Add(std::chrono::milliseconds interval, std::function<void()> task) {
  tasks_.push_back({std::max(interval, std::chrono::milliseconds(1)), std::move(task), {}});
}

void PeriodicWorker::Start() {
  if (tasks_.empty() || thread_.joinable()) return;
  auto now = std::chrono::steady_clock::now();
  for (Task& task : tasks_) task.next = now + task.interval;
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool PeriodicWorker::stopping() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stop_;
}

void PeriodicWorker::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    auto next = tasks_.front().next;
    for (const Task& task : tasks_) next = std::min(next, task.next);
    if (wake_.wait_until(lock, next, [this] { return stop_; })) break;
    auto now = std::chrono::steady_clock::now();
    for (Task& task : tasks_) {
      if (task.next > now) continue;
      lock.unlock();  // tasks take the store's own locks, never ours
      task.run();
      lock.lock();
      if (stop_) break;
      task.next = std::chrono::steady_clock::now() + task.interval;
    }
  }
}

}  // namespace portcullis::store
