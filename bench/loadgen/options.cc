#include "options.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace portcullis::bench {
namespace {

[[noreturn]] void Usage(const char* argv0, const std::string& problem) {
  if (!problem.empty()) std::fprintf(stderr, "%s: %s\n", argv0, problem.c_str());
  std::fprintf(stderr,
               "usage: %s --socket SPEC --corpus DIR [options]\n"
               "  --connections N      concurrent milter connections (50)\n"
               "  --count M            messages in total (20000)\n"
               "  --max-seconds S      wall-clock bound (60)\n"
               "  --per-connection K   messages per milter connection (1)\n"
               "  --body-chunk BYTES   SMFIC_BODY chunk size (65535)\n"
               "  --timeout-ms MS      per read/write timeout (10000)\n"
               "  --pid PID            sample this daemon's CPU time and peak RSS\n"
               "  --client-nagle       no TCP_NODELAY on the client socket (like Postfix)\n"
               "  --offer-protocol HEX SMFIP_* bits to offer (all)\n"
               "  --wait-ready S       wait up to S seconds for the filter to answer\n"
               "  --label TEXT --json FILE|- --quiet\n",
               argv0);
  std::exit(2);
}

}  // namespace

LoadgenOptions ParseLoadgenOptions(int argc, char** argv) {
  LoadgenOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(argv[0], "missing value for " + arg);
      return argv[++i];
    };
    if (arg == "--socket") o.socket = value();
    else if (arg == "--corpus") o.corpus_dir = value();
    else if (arg == "--label") o.label = value();
    else if (arg == "--json") o.json_path = value();
    else if (arg == "--connections") o.connections = std::atoi(value().c_str());
    else if (arg == "--count") o.count = std::atoll(value().c_str());
    else if (arg == "--max-seconds") o.max_seconds = std::atof(value().c_str());
    else if (arg == "--per-connection") o.per_connection = std::atoi(value().c_str());
    else if (arg == "--body-chunk") o.body_chunk = std::strtoul(value().c_str(), nullptr, 10);
    else if (arg == "--timeout-ms") o.timeout_ms = std::atoi(value().c_str());
    else if (arg == "--pid") o.pid = static_cast<pid_t>(std::atoi(value().c_str()));
    else if (arg == "--client-nagle") o.client_nagle = true;
    else if (arg == "--offer-protocol") o.offer_protocol = static_cast<uint32_t>(std::strtoul(value().c_str(), nullptr, 16));
    else if (arg == "--wait-ready") o.wait_ready_seconds = std::atof(value().c_str());
    else if (arg == "--quiet") o.quiet = true;
    else if (arg == "--help" || arg == "-h") Usage(argv[0], "");
    else Usage(argv[0], "unknown option " + arg);
  }
  if (o.socket.empty()) Usage(argv[0], "--socket is required");
  if (o.corpus_dir.empty()) Usage(argv[0], "--corpus is required");
  // Every run is bounded in count and in time, whatever the caller asks.
  if (o.connections < 1 || o.connections > 1000) Usage(argv[0], "--connections must be 1..1000");
  if (o.count < 1 || o.count > 10'000'000) Usage(argv[0], "--count must be 1..10000000");
  if (!(o.max_seconds > 0) || o.max_seconds > 3600) Usage(argv[0], "--max-seconds must be 0..3600");
  if (o.per_connection < 1) Usage(argv[0], "--per-connection must be >= 1");
  if (o.timeout_ms < 1) Usage(argv[0], "--timeout-ms must be >= 1");
  return o;
}

}  // namespace portcullis::bench
