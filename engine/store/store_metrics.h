// The state store's metric catalogue, declared in one place, and the
// decorator that counts every call of any Store:
//
//   portcullis_store_operations_total{store,operation,status}
//   portcullis_store_operation_seconds{store,operation}   (10 us .. 1 s)
//   portcullis_store_expired_total{store}        entries the LMDB sweep deleted
//   portcullis_store_redis_reconnects_total      new Redis connections after a failure
//
// Labels are bounded (backend name, operation, status), never a key.
// StoreMetrics is built once per store from an optional registry: without
// one every method does nothing (offline commands). Two stores on one
// registry share the families (prometheus-cpp returns the existing family
// and series). Thread-safe; series are resolved at construction.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <memory>
#include <string_view>

#include "portcullis/store.h"

namespace portcullis::store {

enum class Operation { kGet, kPut, kIncrement, kDelete, kGetMany, kPutMany, kScan };
constexpr size_t kOperationCount = 7;

class StoreMetrics {
 public:
  StoreMetrics(prometheus::Registry* registry, std::string_view store_kind);

  void Count(Operation operation, Status status) {
    auto* counter = operations_[Index(operation)][static_cast<size_t>(status)];
    if (counter) counter->Increment();
  }
  void Observe(Operation operation, double seconds) {
    if (auto* histogram = seconds_[Index(operation)]) histogram->Observe(seconds);
  }
  void Expired(uint64_t count) {
    if (expired_) expired_->Increment(static_cast<double>(count));
  }
  void RedisReconnect() {
    if (reconnects_) reconnects_->Increment();
  }

 private:
  static size_t Index(Operation operation) { return static_cast<size_t>(operation); }

  std::array<std::array<prometheus::Counter*, 3>, kOperationCount> operations_{};
  std::array<prometheus::Histogram*, kOperationCount> seconds_{};
  prometheus::Counter* expired_ = nullptr;
  prometheus::Counter* reconnects_ = nullptr;
};

// Wraps `inner` and counts each call in `metrics` (both shared with the
// caller; `metrics` may have no registry).
std::shared_ptr<Store> WithMetrics(std::shared_ptr<Store> inner,
                                   std::shared_ptr<StoreMetrics> metrics);

}  // namespace portcullis::store
