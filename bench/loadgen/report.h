// Report: turns a RunResult into the JSON record and the human summary.
//
// The JSON is one flat object (numbers in messages/s, milliseconds, seconds,
// KiB) so shell scripts can pick fields with python3 -c 'import json'.
// Pure functions; no threads.
#ifndef PORTCULLIS_BENCH_LOADGEN_REPORT_H_
#define PORTCULLIS_BENCH_LOADGEN_REPORT_H_

#include <string>

#include "corpus.h"
#include "options.h"
#include "runner.h"

namespace portcullis::bench {

std::string ReportJson(const LoadgenOptions& options, const Corpus& corpus, const RunResult& run);
std::string ReportText(const LoadgenOptions& options, const Corpus& corpus, const RunResult& run);

// Nearest-rank percentile of an ascending vector, in milliseconds.
double PercentileMs(const std::vector<int64_t>& sorted_ns, double percent);

}  // namespace portcullis::bench

#endif  // PORTCULLIS_BENCH_LOADGEN_REPORT_H_
