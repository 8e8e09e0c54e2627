// portcullis_loadgen: milter load generator (MTA side) for the benchmarks.
//
// Loads a corpus, optionally waits for the filter to come up, runs the load
// bounded by --count and --max-seconds, prints a human summary to stdout and
// the JSON record to --json. Exit status: 0 when every message got a
// verdict, 1 when any failed, 2 for usage errors, 3 when the filter never
// became ready.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "corpus.h"
#include "options.h"
#include "report.h"
#include "runner.h"

int main(int argc, char** argv) {
  using namespace portcullis::bench;
  const LoadgenOptions options = ParseLoadgenOptions(argc, argv);
  Corpus corpus;
  try {
    corpus = Corpus::Load(options.corpus_dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loadgen: %s\n", e.what());
    return 2;
  }
  if (options.wait_ready_seconds > 0) {
    const std::string error = WaitUntilReady(options, options.wait_ready_seconds);
    if (!error.empty()) {
      std::fprintf(stderr, "loadgen: filter at %s not ready: %s\n", options.socket.c_str(),
                   error.c_str());
      return 3;
    }
  }
  const RunResult run = RunLoad(options, corpus);
  const std::string json = ReportJson(options, corpus, run);
  if (!options.quiet) std::cout << ReportText(options, corpus, run) << std::flush;
  if (options.json_path == "-") {
    std::cout << json << "\n";
  } else if (!options.json_path.empty()) {
    std::ofstream out(options.json_path);
    out << json << "\n";
    if (!out) {
      std::fprintf(stderr, "loadgen: cannot write %s\n", options.json_path.c_str());
      return 2;
    }
  }
  return run.messages_failed == 0 ? 0 : 1;
}
