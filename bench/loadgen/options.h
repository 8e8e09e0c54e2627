// LoadgenOptions: the command line of portcullis_loadgen.
//
// Parsed once in main() and then read-only, shared by all worker threads.
#ifndef PORTCULLIS_BENCH_LOADGEN_OPTIONS_H_
#define PORTCULLIS_BENCH_LOADGEN_OPTIONS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace portcullis::bench {

struct LoadgenOptions {
  std::string socket;           // inet:PORT@HOST or unix:/path.
  std::string corpus_dir;       // Directory of *.eml files.
  std::string label;            // Free text copied into the report.
  std::string json_path;        // Write the JSON report here ("-" = stdout).
  int connections = 50;         // Concurrent milter connections (threads).
  int64_t count = 20000;        // Messages in total (upper bound).
  double max_seconds = 60;      // Wall-clock bound for the whole run.
  int per_connection = 1;       // Messages per milter connection (SMTP session).
  size_t body_chunk = 65535;    // Bytes per SMFIC_BODY.
  int timeout_ms = 10000;       // Per read/write.
  pid_t pid = 0;                // Daemon to sample (CPU time, peak RSS); 0 = none.
  bool client_nagle = false;    // Leave Nagle on like Postfix does.
  uint32_t offer_protocol = 0;  // 0 = everything (SMFI_CURR_PROT).
  double wait_ready_seconds = 0;  // Retry connect+negotiate until ready.
  bool quiet = false;
};

// Exits with a usage message on bad input.
LoadgenOptions ParseLoadgenOptions(int argc, char** argv);

}  // namespace portcullis::bench

#endif  // PORTCULLIS_BENCH_LOADGEN_OPTIONS_H_
