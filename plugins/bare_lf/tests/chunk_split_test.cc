// Chunk boundaries must not change what the scanner finds: for every body,
// every split into two and three chunks (empty and one-byte chunks included)
// and a feed of one byte at a time give the same findings as one chunk.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "findings_summary.h"
#include "line_end_scanner.h"

namespace portcullis::bare_lf {
namespace {

using namespace std::string_literals;

const std::vector<std::string>& Bodies() {
  static const std::vector<std::string> bodies = {
      "hello\r\nworld\r\n",
      "a\r\nb\r\n\r\nc",
      "a\nb\r\nc\n",
      "a\rb\r\r\nc\r",
      "\r\n\r\n.\r\n",
      "x\0y\r\n\0"s,
      "a\r\n.\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n",
      "a\n.\r\nMAIL FROM:<a@b>\r\n",
      "a\r\n.\nRSET\r\n",
      "a\n.\nb",
      "a\r.\rQUIT\r",
      ".\r\n\r\nehlo x\r\n",
      "\r\r\r\n\n\n\r",
      "line\r\n.\r\nordinary text\r\n.\r\n",
      // Lines long enough for the scanner's CRLF fast path.
      "hello there\r\n.\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n",
      "some text\r\n.\nRSET\r\n",
      "abcdef\r\n\0xyz\r\n"s,
      "long line here\r\n\r\nnext line\r\n",
      "words words\r\nmore words\r\n.\r.\r\n",
      "text line\r\nx\r\n.\r\nQUIT\r\n",
      "first line\r\nsecond\r\rthird\n",
  };
  return bodies;
}

ScanFindings ScanChunks(const std::vector<std::string>& chunks, LineEnds line_ends) {
  LineEndScanner scanner(line_ends);
  for (const std::string& chunk : chunks) scanner.OnBody(chunk);
  scanner.EndBody();
  return scanner.findings();
}

void CheckAllSplits(LineEnds line_ends) {
  for (const std::string& body : Bodies()) {
    const ScanFindings want = LineEndScanner::ScanBody(body, line_ends);
    const size_t n = body.size();
    for (size_t i = 0; i <= n; ++i) {
      const ScanFindings got = ScanChunks({body.substr(0, i), body.substr(i)}, line_ends);
      ASSERT_EQ(Summary(got), Summary(want)) << "split at " << i;
      ASSERT_TRUE(got == want) << "split at " << i;
      for (size_t j = i; j <= n; ++j) {
        const ScanFindings got3 =
            ScanChunks({body.substr(0, i), body.substr(i, j - i), body.substr(j)}, line_ends);
        ASSERT_TRUE(got3 == want) << "splits at " << i << "," << j << ": got " << Summary(got3)
                                  << ", want " << Summary(want);
      }
    }
    std::vector<std::string> bytes;
    for (char c : body) bytes.emplace_back(1, c);
    ASSERT_TRUE(ScanChunks(bytes, line_ends) == want) << "one byte at a time";
  }
}

TEST(BareLfChunkSplit, CrLfBodiesAnySplit) { CheckAllSplits(LineEnds::kCrLf); }
TEST(BareLfChunkSplit, UnixBodiesAnySplit) { CheckAllSplits(LineEnds::kLf); }

TEST(BareLfChunkSplit, CrLfSplitBetweenCrAndLfIsClean) {
  EXPECT_EQ(Summary(ScanChunks({"a\r", "\nb\r", "\n"}, LineEnds::kCrLf)), "clean");
}

TEST(BareLfChunkSplit, LoneCrAtChunkEnd) {
  // got lone CR at the end of chunk 1, want it reported once the next byte shows
  struct Case {
    std::vector<std::string> chunks;
    std::string want;
  };
  const std::vector<Case> cases = {
      {{"a\r", "b"}, "BARE_CR_BODY:1@1"}, {{"a\r", ""}, "BARE_CR_BODY:1@1"},
      {{"a\r"}, "BARE_CR_BODY:1@1"},      {{"a\r", "\r", "\n"}, "BARE_CR_BODY:1@1"},
      {{"a\r", "\n"}, "clean"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Summary(ScanChunks(c.chunks, LineEnds::kCrLf)), c.want);
  }
}

// Long bodies, where the bulk paths (whole plain lines, runs inside a line)
// do the work, against a one-byte-at-a-time feed, which never takes them.
// The pieces put every rule's bytes at every position in a 16-byte block
// and across chunk ends.
std::string RandomBody(std::mt19937& random) {
  static const std::vector<std::string> pieces = {
      "plain text line of ordinary length\r\n", "\r\n", "x\r\n", "ab\r\n", ".\r\n",
      ".dot-started line\r\n", "\n", "\r", "\0"s, "a\nb", "c\rd", "\r\n.\r\n",
      "\n.\n", "\r.\r", "\n.\r\n", "MAIL FROM:<a@b>\r\n", "RCPT TO:<c@d>\r\n", "DATA\r\n",
      "0123456789abcde", "words and more words, then some more\r\n", "\r\n\r\n\r\n"};
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  // Mostly plain lines, as in real mail, with a rule's bytes now and then.
  std::uniform_int_distribution<int> percent(0, 99);
  std::string body;
  const int count = std::uniform_int_distribution<int>(1, 120)(random);
  for (int i = 0; i < count; ++i) {
    body += percent(random) < 70 ? pieces[0] : pieces[pick(random)];
  }
  return body;
}

TEST(BareLfChunkSplit, LongBodiesMatchOneByteAtATime) {
  std::mt19937 random(20261124);
  for (int round = 0; round < 3000; ++round) {
    const std::string body = RandomBody(random);
    for (LineEnds line_ends : {LineEnds::kCrLf, LineEnds::kLf}) {
      std::vector<std::string> bytes;
      for (char c : body) bytes.emplace_back(1, c);
      const ScanFindings want = ScanChunks(bytes, line_ends);
      const ScanFindings whole = LineEndScanner::ScanBody(body, line_ends);
      ASSERT_TRUE(whole == want) << "round " << round << ": got " << Summary(whole) << ", want "
                                 << Summary(want);
      const size_t cut = std::uniform_int_distribution<size_t>(0, body.size())(random);
      const ScanFindings split = ScanChunks({body.substr(0, cut), body.substr(cut)}, line_ends);
      ASSERT_TRUE(split == want) << "round " << round << " cut at " << cut;
    }
  }
}

}  // namespace
}  // namespace portcullis::bare_lf
