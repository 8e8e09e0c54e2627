// Rate-limited logging of store failures: a store that is down fails every
// recipient of every message, and one log line per recipient would flood
// syslog exactly when the operator needs it readable. One line per interval
// per process, saying how many failures were not logged since the last.
//
// Thread-safe (atomics); ProcessStoreErrorLog() is the process-wide
// instance every greylist check shares, across config reloads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace portcullis::greylist {

class RateLimitedLog {
 public:
  using Clock = std::chrono::steady_clock;

  // True when a line may be written now (the first call, or `interval` after
  // the last line); `suppressed` then receives the failures not logged since.
  bool ShouldLog(Clock::time_point now, std::chrono::seconds interval, uint64_t* suppressed);

 private:
  std::atomic<int64_t> last_ns_{INT64_MIN};
  std::atomic<uint64_t> suppressed_{0};
};

RateLimitedLog& ProcessStoreErrorLog();

// Logs "greylist: store error (...): accepting without greylisting" through
// portcullis/log.h, at most once per `interval` per process.
void LogStoreError(std::string_view error, std::chrono::seconds interval);

}  // namespace portcullis::greylist
