// Parse throughput of engine/mime's MimeParser (bytes/s counts the message
// bytes fed, headers included): the golden corpus, and a 2 MB synthetic
// message with a base64 attachment, an HTML part and a text part full of
// URLs, each fed whole and in 64 KiB chunks (what Postfix sends per
// SMFIC_BODY).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mime/mime_parser.h"
#include "portcullis/public_suffix.h"

namespace portcullis::mime {
namespace {

struct Message {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // CRLF
  size_t size = 0;
};

// A minimal split (the tests use engine/util/message_file.h).
Message Split(const std::string& raw) {
  Message m;
  m.size = raw.size();
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t end = raw.find('\n', pos);
    if (end == std::string::npos) end = raw.size();
    std::string line = raw.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    if ((line[0] == ' ' || line[0] == '\t') && !m.headers.empty()) {
      m.headers.back().second += "\n" + line;
    } else if (size_t colon = line.find(':'); colon != std::string::npos) {
      m.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
  }
  for (; pos < raw.size(); ++pos) {
    if (raw[pos] == '\n' && (m.body.empty() || m.body.back() != '\r')) m.body.push_back('\r');
    m.body.push_back(raw[pos]);
  }
  return m;
}

class CountingSink : public Sink {
 public:
  void OnText(const PartInfo&, std::string_view t) override { bytes += t.size(); }
  void OnUrl(const Url&) override { ++urls; }
  size_t bytes = 0;
  size_t urls = 0;
};

std::vector<Message> Corpus() {
  std::vector<Message> out;
  for (const auto& entry : std::filesystem::directory_iterator(PORTCULLIS_MIME_TEST_DATA)) {
    if (entry.path().extension() != ".eml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    out.push_back(Split(s.str()));
  }
  return out;
}

Message Synthetic() {
  std::string m =
      "From: a@example.com\nSubject: synthetic\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n";
  for (int i = 0; i < 5000; ++i) {
    m += "Line " + std::to_string(i) + " visit https://www" + std::to_string(i % 300) +
         ".example.com/path?id=" + std::to_string(i) + " or write to x@example.org today\n";
  }
  m += "--b\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: "
       "quoted-printable\n\n";
  for (int i = 0; i < 5000; ++i) {
    m += "<p class=3D\"x\">Para " + std::to_string(i) +
         " &amp; <a href=3D\"https://t.example.net/c?u=3D" + std::to_string(i % 500) +
         "\">click</a></p>\n";
  }
  m += "--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n";
  for (int i = 0; i < 15000; ++i)
    m += "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\n";
  m += "--b--\n";
  return Split(m);
}

void Parse(const Message& m, size_t chunk, const std::shared_ptr<const PublicSuffixList>& psl,
           CountingSink* sink) {
  MimeParser parser(Limits(), sink, psl);
  for (const auto& [name, value] : m.headers) parser.Header(name, value);
  parser.EndOfHeaders();
  std::string_view body = m.body;
  for (size_t i = 0; i < body.size(); i += chunk) parser.Body(body.substr(i, chunk));
  parser.End();
}

void BM_Corpus(benchmark::State& state) {
  const auto corpus = Corpus();
  auto psl = SystemPublicSuffixList(nullptr);
  const size_t chunk = static_cast<size_t>(state.range(0));
  size_t bytes = 0;
  for (auto _ : state) {
    for (const Message& m : corpus) {
      CountingSink sink;
      Parse(m, chunk, psl, &sink);
      benchmark::DoNotOptimize(sink.bytes);
      bytes += m.size;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_Corpus)->Arg(64 << 10)->Arg(1 << 30);

void BM_Synthetic(benchmark::State& state) {
  const Message m = Synthetic();
  auto psl = SystemPublicSuffixList(nullptr);
  const size_t chunk = static_cast<size_t>(state.range(0));
  size_t bytes = 0;
  for (auto _ : state) {
    CountingSink sink;
    Parse(m, chunk, psl, &sink);
    benchmark::DoNotOptimize(sink.urls);
    bytes += m.size;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_Synthetic)->Arg(64 << 10)->Arg(1 << 30);

}  // namespace
}  // namespace portcullis::mime

BENCHMARK_MAIN();
