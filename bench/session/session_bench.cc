// Portcullis's own work per message: one Session per message (as with
// Postfix's one milter connection per SMTP session), connect, MAIL, RCPT,
// the headers, the body in 64 KiB chunks and end of message, through the
// Snapshot a config file builds. No sockets and no libmilter, so the figure
// is what the daemon adds to the protocol's ceiling.
//
//   portcullis_session_bench --config FILE --corpus DIR [benchmark flags]
//   portcullis_session_bench --config FILE --corpus DIR --messages N
// The second form runs exactly N messages and no benchmark, for counting
// events per message under `perf stat` (allocations, system calls).
// The summary lines go to stderr like the daemon's; send them to /dev/null
// or a file to count their cost, or pass --quiet to log warnings only.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/snapshot.h"
#include "pipeline/session.h"
#include "portcullis/log.h"
#include "util/message_file.h"

namespace {

struct Corpus {
  std::vector<portcullis::MessageParts> messages;
  size_t bytes = 0;
};

std::string g_config;
std::string g_corpus_dir;
Corpus g_corpus;
std::shared_ptr<const portcullis::Snapshot> g_snapshot;

Corpus LoadCorpus(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  Corpus corpus;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream raw;
    raw << in.rdbuf();
    corpus.bytes += raw.str().size();
    corpus.messages.push_back(portcullis::SplitMessageFile(raw.str()));
  }
  return corpus;
}

void RunMessage(const portcullis::MessageParts& parts) {
  using portcullis::Session;
  Session session([] { return g_snapshot; });
  session.SetMacro("client_addr", "192.0.2.10");
  portcullis::ConnectionInfo info;
  info.client_addr = portcullis::IpAddress::Parse("192.0.2.10");
  info.client_addr_text = "192.0.2.10";
  info.client_name = "mail.sender.example";
  session.Connect(std::move(info));
  session.SetMacro("i", "4XyZ1234AB");
  session.MailFrom("<sender@sender.example>");
  session.Rcpt("<user@example.net>");
  for (const portcullis::HeaderField& header : parts.headers) {
    session.Header(header.name, header.value);
  }
  session.EndOfHeaders();
  constexpr size_t kChunk = 65535;  // what Postfix sends per SMFIC_BODY
  for (size_t pos = 0; pos < parts.body.size(); pos += kChunk) {
    session.Body(std::string_view(parts.body).substr(pos, kChunk));
  }
  benchmark::DoNotOptimize(session.EndOfMessage());
}

void BM_SessionPerMessage(benchmark::State& state) {
  size_t next = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    const portcullis::MessageParts& parts = g_corpus.messages[next];
    next = (next + 1) % g_corpus.messages.size();
    RunMessage(parts);
    bytes += parts.body.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_SessionPerMessage)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  bool quiet = false;
  long messages = 0;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--config") && i + 1 < argc) {
      g_config = argv[++i];
    } else if (!std::strcmp(argv[i], "--corpus") && i + 1 < argc) {
      g_corpus_dir = argv[++i];
    } else if (!std::strcmp(argv[i], "--messages") && i + 1 < argc) {
      messages = std::atol(argv[++i]);
    } else if (!std::strcmp(argv[i], "--quiet")) {
      quiet = true;
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (g_corpus_dir.empty()) {
    std::fprintf(stderr, "usage: %s [--config FILE] --corpus DIR [--quiet] [benchmark flags]\n",
                 argv[0]);
    return 2;
  }
  portcullis::LogToStderr(quiet ? portcullis::LogLevel::kWarning : portcullis::LogLevel::kInfo);
  portcullis::ConfigErrors errors;
  g_snapshot = portcullis::BuildSnapshot(g_config, &errors);
  if (!g_snapshot) {
    for (const std::string& error : errors.all()) std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  g_corpus = LoadCorpus(g_corpus_dir);
  if (g_corpus.messages.empty()) {
    std::fprintf(stderr, "no .eml files in %s\n", g_corpus_dir.c_str());
    return 2;
  }
  if (messages > 0) {
    for (long i = 0; i < messages; ++i) {
      RunMessage(g_corpus.messages[static_cast<size_t>(i) % g_corpus.messages.size()]);
    }
    return 0;
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
