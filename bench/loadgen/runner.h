// RunLoad: drives N concurrent milter connections and measures them.
//
// Each worker thread repeatedly opens a connection, negotiates, sends connect
// + HELO, then up to --per-connection transactions (each claims one message
// from a shared atomic counter), then SMFIC_QUIT. The run stops when --count
// messages have been claimed or --max-seconds has passed, whichever is
// first. Workers keep results in their own vectors; they are merged after
// join(), so the hot path takes no lock.
#ifndef PORTCULLIS_BENCH_LOADGEN_RUNNER_H_
#define PORTCULLIS_BENCH_LOADGEN_RUNNER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "corpus.h"
#include "options.h"
#include "proc_sampler.h"

namespace portcullis::bench {

struct RunResult {
  int64_t messages_ok = 0;      // Transactions that got a final verdict.
  int64_t messages_failed = 0;  // Transactions lost to a MilterError.
  int64_t connections = 0;
  double elapsed_seconds = 0;
  bool hit_time_limit = false;
  std::vector<int64_t> eom_latency_ns;          // Sorted ascending.
  std::map<std::string, int64_t> verdicts;      // "accept", "reject@mail", ...
  std::map<std::string, int64_t> error_kinds;   // First words of errors -> count.
  std::vector<std::string> error_samples;       // Up to 5 full messages.
  uint32_t negotiated_protocol = 0;             // From the first connection.
  uint32_t negotiated_actions = 0;
  ProcUsage daemon;
};

// Retries connect + negotiate until the filter answers or `seconds` pass.
// Returns an empty string when ready, else the last error.
std::string WaitUntilReady(const LoadgenOptions& options, double seconds);

RunResult RunLoad(const LoadgenOptions& options, const Corpus& corpus);

}  // namespace portcullis::bench

#endif  // PORTCULLIS_BENCH_LOADGEN_RUNNER_H_
