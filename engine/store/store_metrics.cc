#include "store/store_metrics.h"

#include <chrono>
#include <string>

namespace portcullis::store {
namespace {

constexpr const char* kOperationLabels[kOperationCount] = {
    "get", "put", "increment", "delete", "get_many", "put_many", "scan"};
constexpr Status kStatuses[] = {Status::kOk, Status::kNotFound, Status::kUnavailable};

// From an LMDB read served from the page cache (~1 us, first bucket) to the
// Redis call timeouts an operator might configure.
const prometheus::Histogram::BucketBoundaries& DurationBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
      0.005,   0.01,     0.025,   0.05,   0.1,     0.25,   0.5,   1};
  return buckets;
}

class MeteredStore final : public Store {
 public:
  MeteredStore(std::shared_ptr<Store> inner, std::shared_ptr<StoreMetrics> metrics)
      : inner_(std::move(inner)), metrics_(std::move(metrics)) {}

  std::string_view kind() const override { return inner_->kind(); }

  GetResult Get(std::string_view key, Deadline deadline) override {
    Timer timer(this, Operation::kGet);
    GetResult result = inner_->Get(key, deadline);
    metrics_->Count(Operation::kGet, result.status);
    return result;
  }
  WriteResult Put(std::string_view key, std::string_view value, Ttl ttl,
                  Deadline deadline) override {
    Timer timer(this, Operation::kPut);
    WriteResult result = inner_->Put(key, value, ttl, deadline);
    metrics_->Count(Operation::kPut, result.status);
    return result;
  }
  IncrementResult Increment(std::string_view key, int64_t delta, Ttl ttl,
                            Deadline deadline) override {
    Timer timer(this, Operation::kIncrement);
    IncrementResult result = inner_->Increment(key, delta, ttl, deadline);
    metrics_->Count(Operation::kIncrement, result.status);
    return result;
  }
  WriteResult Delete(std::string_view key, Deadline deadline) override {
    Timer timer(this, Operation::kDelete);
    WriteResult result = inner_->Delete(key, deadline);
    metrics_->Count(Operation::kDelete, result.status);
    return result;
  }
  // Batches count one per key, so "how many lookups failed" adds up.
  std::vector<GetResult> GetMany(std::span<const std::string> keys,
                                 Deadline deadline) override {
    Timer timer(this, Operation::kGetMany);
    std::vector<GetResult> results = inner_->GetMany(keys, deadline);
    for (const GetResult& result : results) metrics_->Count(Operation::kGetMany, result.status);
    return results;
  }
  std::vector<WriteResult> PutMany(std::span<const PutRequest> entries,
                                   Deadline deadline) override {
    Timer timer(this, Operation::kPutMany);
    std::vector<WriteResult> results = inner_->PutMany(entries, deadline);
    for (const WriteResult& result : results) metrics_->Count(Operation::kPutMany, result.status);
    return results;
  }
  WriteResult Scan(std::string_view prefix, const Visitor& visit, Deadline deadline) override {
    Timer timer(this, Operation::kScan);
    WriteResult result = inner_->Scan(prefix, visit, deadline);
    metrics_->Count(Operation::kScan, result.status);
    return result;
  }

 private:
  class Timer {
   public:
    Timer(MeteredStore* store, Operation operation)
        : store_(store), operation_(operation), start_(std::chrono::steady_clock::now()) {}
    ~Timer() {
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
      store_->metrics_->Observe(operation_, took.count());
    }

   private:
    MeteredStore* store_;
    Operation operation_;
    std::chrono::steady_clock::time_point start_;
  };

  std::shared_ptr<Store> inner_;
  std::shared_ptr<StoreMetrics> metrics_;
};

}  // namespace

StoreMetrics::StoreMetrics(prometheus::Registry* registry, std::string_view store_kind) {
  if (!registry) return;
  using namespace prometheus;
  std::string kind(store_kind);
  auto& operations = BuildCounter()
                         .Name("portcullis_store_operations_total")
                         .Help("State store calls, by backend, operation and status "
                               "(batches count one per key)")
                         .Register(*registry);
  auto& seconds = BuildHistogram()
                      .Name("portcullis_store_operation_seconds")
                      .Help("State store call latency, by backend and operation")
                      .Register(*registry);
  for (size_t op = 0; op < kOperationCount; ++op) {
    for (Status status : kStatuses) {
      operations_[op][static_cast<size_t>(status)] =
          &operations.Add({{"store", kind},
                           {"operation", kOperationLabels[op]},
                           {"status", std::string(StatusName(status))}});
    }
    seconds_[op] =
        &seconds.Add({{"store", kind}, {"operation", kOperationLabels[op]}}, DurationBuckets());
  }
  expired_ = &BuildCounter()
                  .Name("portcullis_store_expired_total")
                  .Help("Expired entries deleted by the store's background sweep")
                  .Register(*registry)
                  .Add({{"store", kind}});
  if (kind == "redis") {
    reconnects_ = &BuildCounter()
                       .Name("portcullis_store_redis_reconnects_total")
                       .Help("Redis connections opened after a failed call or connection")
                       .Register(*registry)
                       .Add({});
  }
}

std::shared_ptr<Store> WithMetrics(std::shared_ptr<Store> inner,
                                   std::shared_ptr<StoreMetrics> metrics) {
  return std::make_shared<MeteredStore>(std::move(inner), std::move(metrics));
}

}  // namespace portcullis::store
