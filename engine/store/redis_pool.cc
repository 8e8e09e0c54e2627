#include "store/redis_pool.h"

#include <algorithm>

#include "portcullis/log.h"

namespace portcullis::store {

RedisPool::RedisPool(const RedisOptions& options, std::shared_ptr<StoreMetrics> metrics)
    : options_(options), metrics_(std::move(metrics)) {}

std::unique_ptr<RedisConnection> RedisPool::Acquire(Deadline deadline, std::string* error) {
  // Waiting for a busy pool is bounded like the call itself.
  Deadline wait = deadline.Min(Deadline::After(options_.call_timeout));
  std::unique_lock<std::mutex> lock(mutex_);
  // Bounded: every pass either returns or waits until `wait`, and the pass
  // after that wait returns.
  for (;;) {
    auto now = Deadline::Clock::now();
    if (backoff_.count() > 0 && now < down_until_) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(down_until_ - now);
      *error = "redis unavailable, next attempt in " + std::to_string(left.count()) +
               " ms (last error: " + last_error_ + ")";
      return nullptr;
    }
    if (!idle_.empty()) {
      std::unique_ptr<RedisConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    if (open_ < options_.pool_size) {
      ++open_;
      bool reconnect = backoff_.count() > 0;
      lock.unlock();
      std::string why;
      std::unique_ptr<RedisConnection> connection =
          RedisConnection::Connect(options_, deadline, &why);
      lock.lock();
      if (!connection) {
        --open_;
        MarkDownLocked(why);
        freed_.notify_all();
        *error = why;
        return nullptr;
      }
      if (reconnect && metrics_) metrics_->RedisReconnect();
      return connection;
    }
    if (wait.expired()) {
      *error = "redis: all " + std::to_string(options_.pool_size) +
               " connections busy until the call timeout";
      return nullptr;
    }
    freed_.wait_until(lock, wait.when());
  }
}

void RedisPool::Release(std::unique_ptr<RedisConnection> connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (backoff_.count() > 0) LogInfo("state store: redis is reachable again");
  backoff_ = std::chrono::milliseconds(0);
  idle_.push_back(std::move(connection));
  freed_.notify_one();
}

void RedisPool::Discard(std::unique_ptr<RedisConnection> connection, const std::string& error,
                        bool mark_down) {
  connection.reset();
  std::lock_guard<std::mutex> lock(mutex_);
  --open_;
  if (mark_down) {
    open_ -= static_cast<int>(idle_.size());
    idle_.clear();
    MarkDownLocked(error);
  }
  freed_.notify_all();
}

void RedisPool::MarkDownLocked(const std::string& error) {
  if (backoff_.count() == 0) {
    LogWarning("state store: " + error + "; failing fast for " +
               std::to_string(options_.backoff_min.count()) + " ms");
  }
  backoff_ = backoff_.count() == 0 ? options_.backoff_min
                                   : std::min(backoff_ * 2, options_.backoff_max);
  down_until_ = Deadline::Clock::now() + backoff_;
  last_error_ = error;
}

}  // namespace portcullis::store
