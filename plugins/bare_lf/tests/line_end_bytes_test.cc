// The bulk scans against plain byte loops, for the SSE2 and (where the CPU
// has it) AVX2 variants, at every length and alignment that matters: random
// text has specials at every offset of a block, and CRLF pairs straddling
// block ends.
#include "line_end_bytes.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace portcullis::bare_lf {
namespace {

size_t ReferenceFind(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0') return i;
  }
  return s.size();
}

size_t ReferencePlainPrefix(const std::string& s) {
  size_t line = 0;
  for (;;) {
    if (line >= s.size() || s[line] == '.') return line;
    size_t end = line;
    while (end < s.size() && s[end] != '\r' && s[end] != '\n' && s[end] != '\0') ++end;
    if (end + 1 >= s.size() || s[end] != '\r' || s[end + 1] != '\n') return line;
    line = end + 2;
  }
}

std::string RandomText(std::mt19937& random) {
  static const char kAlphabet[] = {'a', 'b', ' ', '.', '\r', '\n', '\0', 'x', 'y', 'z'};
  const size_t length = random() % 2 ? random() % 200 : random() % 1200;
  std::string text;
  // Mostly letters with CRLF line ends, so that long plain prefixes occur.
  for (size_t i = 0; i < length; ++i) {
    const unsigned roll = random() % 100;
    if (roll < 80) {
      text += static_cast<char>('a' + random() % 26);
    } else if (roll < 95) {
      text += "\r\n";
    } else {
      text += kAlphabet[random() % sizeof(kAlphabet)];
    }
  }
  return text;
}

TEST(LineEndBytesTest, ScansAgreeWithByteLoops) {
  std::mt19937 random(7);
  for (int round = 0; round < 20000; ++round) {
    const std::string text = RandomText(random);
    ASSERT_EQ(FindLineEndByte(text.data(), text.size()), ReferenceFind(text)) << round;
    ASSERT_EQ(PlainCrLfLinesPrefixSse2(text.data(), text.size()), ReferencePlainPrefix(text))
        << round;
    ASSERT_EQ(PlainCrLfLinesPrefix(text.data(), text.size()), ReferencePlainPrefix(text)) << round;
#if defined(PORTCULLIS_BARE_LF_AVX2)
    if (__builtin_cpu_supports("avx2")) {
      ASSERT_EQ(PlainCrLfLinesPrefixAvx2(text.data(), text.size()), ReferencePlainPrefix(text))
          << round;
    }
#endif
  }
}

// Long plain text (lines of every length up to 80) with one special byte
// planted at every position in turn: each block boundary meets each case,
// including a CR as a block's last byte and a "." after an LF at a block's
// first byte.
TEST(LineEndBytesTest, PlainPrefixStopsAtEachPlantedByteAcrossBlocks) {
  std::string plain;
  for (size_t length = 0; plain.size() < 400; length = (length + 7) % 81) {
    plain += std::string(length, 'm') + "\r\n";
  }
  for (char special : {'\r', '\n', '\0', '.'}) {
    for (size_t at = 0; at < plain.size(); ++at) {
      std::string text = plain;
      text[at] = special;
      const size_t want = ReferencePlainPrefix(text);
      ASSERT_EQ(PlainCrLfLinesPrefixSse2(text.data(), text.size()), want) << at;
      ASSERT_EQ(PlainCrLfLinesPrefix(text.data(), text.size()), want) << at;
      for (size_t cut : {text.size() - 1, text.size() - 2, text.size() - 63, text.size() - 64}) {
        ASSERT_EQ(PlainCrLfLinesPrefix(text.data(), cut), ReferencePlainPrefix(text.substr(0, cut)))
            << at << " " << cut;
      }
    }
  }
}

TEST(LineEndBytesTest, FindsEachSpecialByteAtEveryPosition) {
  for (char special : {'\r', '\n', '\0'}) {
    for (size_t length = 1; length <= 70; ++length) {
      for (size_t at = 0; at < length; ++at) {
        std::string text(length, 'q');
        text[at] = special;
        ASSERT_EQ(FindLineEndByte(text.data(), text.size()), at);
      }
    }
  }
}

}  // namespace
}  // namespace portcullis::bare_lf
