// Hostile input: bounded work, bounded events, the right anomaly, no crash.
// Also a fixed-seed mutation loop over the corpus.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "recording_sink.h"

namespace portcullis::mime::testing {
namespace {

TEST(MimeLimits, DeepNesting) {
  // 10,000 nested multiparts, each with its own boundary.
  std::string m = "Content-Type: multipart/mixed; boundary=b0\n\n";
  for (int i = 1; i <= 10000; ++i) {
    m += "--b" + std::to_string(i - 1) + "\nContent-Type: multipart/mixed; boundary=b" +
         std::to_string(i) + "\n\n";
  }
  m += "--b10000\n\ndeep text\n";
  auto sink = ParseMessage(m, 4096);
  EXPECT_TRUE(sink->HasAnomaly("MIME_DEPTH_LIMIT"));
  EXPECT_TRUE(sink->HasAnomaly("MIME_UNCLOSED_MULTIPART"));
  EXPECT_LE(sink->parts.size(), static_cast<size_t>(Limits().max_depth) + 2);
  EXPECT_EQ(sink->text.count(10001), 0u);

  // 10,000 nested message/rfc822.
  std::string r;
  for (int i = 0; i < 10000; ++i) r += "Content-Type: message/rfc822\n\n";
  r += "inner\n";
  auto rs = ParseMessage(r, 64);
  EXPECT_TRUE(rs->HasAnomaly("MIME_DEPTH_LIMIT"));
  EXPECT_LE(rs->parts.size(), static_cast<size_t>(Limits().max_depth) + 2);
}

TEST(MimeLimits, ManyTinyParts) {
  std::string m = "Content-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 100000; ++i) m += "--b\n\nx\n";
  m += "--b--\n";
  auto sink = ParseMessage(m, 65536);
  EXPECT_TRUE(sink->HasAnomaly("MIME_PART_LIMIT"));
  EXPECT_EQ(sink->parts.size(), static_cast<size_t>(Limits().max_parts));
  // Per part at most a start, an end, text and bytes: bounded by the limit.
  EXPECT_LE(sink->events, 5u * Limits().max_parts);
}

TEST(MimeLimits, DecodedSizeLimit) {
  Limits limits;
  limits.max_decoded_bytes = 100000;
  std::string m = "Content-Transfer-Encoding: base64\n\n";
  const std::string line = std::string(76, 'A') + "\n";  // 57 zero bytes per line
  for (int i = 0; i < 20000; ++i) m += line;             // 1.1 MB decoded
  auto sink = ParseMessage(m, 4096, limits);
  EXPECT_TRUE(sink->HasAnomaly("MIME_DECODED_SIZE_LIMIT"));
  EXPECT_EQ(sink->bytes[0].size(), 100000u);
  EXPECT_EQ(sink->text[0].size(), 100000u);  // NULs are text too
}

TEST(MimeLimits, HugeLineIsCut) {
  Limits limits;  // 1 MiB lines
  std::string m = "Content-Type: text/plain\n\n";
  m += std::string(50u << 20, 'a');  // a 50 MB line
  m += "\nend\n";
  RecordingSink sink;
  MimeParser parser(limits, &sink, nullptr);
  parser.EndOfHeaders();
  // Feed the body in 1 MB chunks without building a CRLF copy.
  std::string_view body = std::string_view(m).substr(m.find("\n\n") + 2);
  for (size_t i = 0; i < body.size(); i += 1 << 20) parser.Body(body.substr(i, 1 << 20));
  parser.End();
  EXPECT_TRUE(sink.HasAnomaly("MIME_LONG_LINE"));
  EXPECT_EQ(sink.text[0].size(), (50u << 20) + 4);  // nothing lost, "\nend" at the end
  EXPECT_EQ(sink.text[0].substr(sink.text[0].size() - 4), "\nend");
}

TEST(MimeLimits, GarbageBytes) {
  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    std::string junk(200000, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    // Sprinkle structure so the parser walks more paths.
    std::string m = "Content-Type: multipart/mixed; boundary=\"x\"\n\n--x\n" + junk + "\n--x--";
    auto sink = ParseMessage(m, 1 + rng() % 5000);
    EXPECT_LE(sink->urls.size(), static_cast<size_t>(Limits().max_urls));
  }
}

TEST(MimeLimits, UrlLimit) {
  Limits limits;
  limits.max_urls = 5;
  std::string m = "\n";
  for (int i = 0; i < 100; ++i)
    m += "http://u" + std::to_string(i) + ".example/ a" + std::to_string(i) + "@m.example\n";
  auto sink = ParseMessage(m, 0, limits);
  EXPECT_EQ(sink->urls.size(), 5u);
  EXPECT_EQ(sink->emails.size(), 5u);
  EXPECT_TRUE(sink->HasAnomaly("MIME_URL_LIMIT"));
}

// Fixed-seed mutations of every corpus message: no crash, bounded output.
TEST(MimeLimits, MutatedCorpusDoesNotCrash) {
  std::vector<std::string> corpus;
  for (const auto& entry : std::filesystem::directory_iterator(PORTCULLIS_MIME_TEST_DATA)) {
    if (entry.path().extension() != ".eml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    corpus.push_back(s.str());
  }
  ASSERT_FALSE(corpus.empty());
  std::sort(corpus.begin(), corpus.end());
  std::mt19937 rng(20261124);
  static const char* const kTokens[] = {"--",
                                        "\n",
                                        "=?",
                                        "?=",
                                        "=",
                                        "<",
                                        "&",
                                        "://",
                                        "[.]",
                                        "boundary=",
                                        "Content-Type: multipart/mixed; boundary=b\n",
                                        "--b\n",
                                        "\n\n",
                                        "base64",
                                        "\xff",
                                        "@"};
  Limits limits;
  limits.max_line_bytes = 256;  // exercise the cut paths too
  for (int iteration = 0; iteration < 2000; ++iteration) {
    std::string m = corpus[rng() % corpus.size()];
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits && !m.empty(); ++e) {
      const size_t at = rng() % m.size();
      switch (rng() % 4) {
        case 0: m[at] = static_cast<char>(rng()); break;
        case 1: m.insert(at, kTokens[rng() % (sizeof kTokens / sizeof *kTokens)]); break;
        case 2: m.erase(at, rng() % 40); break;
        case 3: m.insert(at, m.substr(rng() % m.size(), rng() % 200)); break;
      }
    }
    auto sink = ParseMessage(m, 1 + rng() % 300, limits);
    ASSERT_LE(sink->parts.size(), static_cast<size_t>(limits.max_parts)) << iteration;
    ASSERT_LE(sink->anomalies.size(), 20u) << iteration;  // each symbol once
  }
}

}  // namespace
}  // namespace portcullis::mime::testing
