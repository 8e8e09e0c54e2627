// The golden corpus (tests/data/mime/*.eml): every message parsed whole must
// render exactly as its .golden file; fed in chunks of 1, 7, 64 and 4096
// bytes, and with bare LF line ends, it must render the same.
// PORTCULLIS_UPDATE_GOLDEN=1 rewrites the goldens (review the diff!).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "recording_sink.h"
#include "util/message_file.h"

namespace portcullis::mime::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<fs::path> CorpusFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(PORTCULLIS_MIME_TEST_DATA)) {
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(MimeCorpus, HasEnoughMessages) { EXPECT_GE(CorpusFiles().size(), 12u); }

TEST(MimeCorpus, MatchesGolden) {
  const bool update = std::getenv("PORTCULLIS_UPDATE_GOLDEN") != nullptr;
  for (const fs::path& eml : CorpusFiles()) {
    const std::string got = ParseMessage(ReadFile(eml))->Render();
    fs::path golden = eml;
    golden.replace_extension(".golden");
    if (update) {
      std::ofstream(golden, std::ios::binary) << got;
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << golden << " missing; run with PORTCULLIS_UPDATE_GOLDEN=1";
    EXPECT_EQ(got, ReadFile(golden)) << "got (left) vs golden " << golden;
  }
}

TEST(MimeCorpus, ChunkBoundaryInvariance) {
  for (const fs::path& eml : CorpusFiles()) {
    const std::string raw = ReadFile(eml);
    const std::string whole = ParseMessage(raw)->Render();
    for (size_t chunk : {1u, 7u, 64u, 4096u}) {
      EXPECT_EQ(ParseMessage(raw, chunk)->Render(), whole)
          << eml.filename() << " in chunks of " << chunk;
    }
  }
}

// The milter delivers CRLF, but bare LF must give the same events.
TEST(MimeCorpus, BareLfBodyGivesSameEvents) {
  for (const fs::path& eml : CorpusFiles()) {
    const std::string raw = ReadFile(eml);
    const MessageParts split = SplitMessageFile(raw);
    std::string lf;
    for (size_t i = 0; i < split.body.size(); ++i) {
      if (split.body[i] == '\r' && i + 1 < split.body.size() && split.body[i + 1] == '\n') continue;
      lf.push_back(split.body[i]);
    }
    RecordingSink crlf_sink;
    RecordingSink lf_sink;
    for (auto [sink, body] :
         {std::pair<RecordingSink*, std::string_view>{&crlf_sink, split.body}, {&lf_sink, lf}}) {
      MimeParser parser(Limits(), sink, SystemPublicSuffixList(nullptr));
      for (const HeaderField& h : split.headers) parser.Header(h.name, h.value);
      parser.EndOfHeaders();
      for (size_t i = 0; i < body.size(); i += 13) parser.Body(body.substr(i, 13));
      parser.End();
    }
    EXPECT_EQ(lf_sink.Render(), crlf_sink.Render()) << eml.filename();
  }
}

}  // namespace
}  // namespace portcullis::mime::testing
