#include "greylist_error_log.h"

#include "portcullis/log.h"

namespace portcullis::greylist {

bool RateLimitedLog::ShouldLog(Clock::time_point now, std::chrono::seconds interval,
                               uint64_t* suppressed) {
  const int64_t now_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  const int64_t interval_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(interval).count();
  int64_t last = last_ns_.load(std::memory_order_relaxed);
  while (last == INT64_MIN || now_ns - last >= interval_ns) {
    // One thread wins the slot; the others count themselves as suppressed.
    if (last_ns_.compare_exchange_weak(last, now_ns, std::memory_order_relaxed)) {
      *suppressed = suppressed_.exchange(0, std::memory_order_relaxed);
      return true;
    }
  }
  suppressed_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

RateLimitedLog& ProcessStoreErrorLog() {
  static RateLimitedLog log;
  return log;
}

void LogStoreError(std::string_view error, std::chrono::seconds interval) {
  uint64_t suppressed = 0;
  if (!ProcessStoreErrorLog().ShouldLog(RateLimitedLog::Clock::now(), interval, &suppressed)) {
    return;
  }
  std::string line =
      "greylist: store error (" + std::string(error) + "): accepting without greylisting";
  if (suppressed > 0) line += "; " + std::to_string(suppressed) + " more since the last report";
  LogWarning(line);
}

}  // namespace portcullis::greylist
