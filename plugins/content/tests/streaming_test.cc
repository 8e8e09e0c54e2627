// Body targets are streamed: a match split across chunks, fed one byte at a
// time or in random pieces, still counts, and end-anchored patterns fire when
// the stream closes.
#include <random>
#include <thread>

#include "content_test_util.h"

namespace portcullis::content {
namespace {

using testing::BuildOrDie;
using testing::Join;
using testing::Names;

constexpr char kRules[] = R"lua(
rule { name = "PHRASE", target = "text", pattern = "urgent\\s+wire\\s+transfer", flags = "i" }
rule { name = "TAIL", target = "text", pattern = "regards\\s*$" }
rule { name = "RAW", target = "raw_body", pattern = "X-Spam-Payload:\\s+\\d{6}" }
rule { name = "RAWEND", target = "raw_body", pattern = "\\.\\r\\n\\z" }
)lua";

std::string Text() { return "Hello,\nplease make an URGENT   wire\ntransfer today.\nKind regards"; }
std::string Raw() { return "line one\r\nX-Spam-Payload: 123456\r\nend.\r\n"; }

enum class Split { kWhole, kOneByte, kRandom };

void Feed(Scanner& scanner, const std::string& text, const std::string& raw, Split split,
          std::mt19937& random) {
  auto pieces = [&](const std::string& data) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < data.size()) {
      size_t size = split == Split::kWhole     ? data.size()
                    : split == Split::kOneByte ? 1
                                               : 1 + random() % 7;
      out.push_back(data.substr(pos, size));
      pos += size;
    }
    return out;
  };
  bool first = true;
  for (const std::string& piece : pieces(text)) {
    scanner.Text(piece, first);
    first = false;
  }
  for (const std::string& piece : pieces(raw)) scanner.RawBody(piece);
}

TEST(StreamingTest, MatchesSurviveAnyChunking) {
  auto set = BuildOrDie(kRules);
  ASSERT_NE(set, nullptr);
  std::mt19937 random(42);
  struct Case {
    const char* label;
    Split split;
  } cases[] = {{"whole", Split::kWhole}, {"one byte", Split::kOneByte}, {"random", Split::kRandom}};
  for (const Case& test : cases) {
    // Random chunking: many different splits.
    int rounds = test.split == Split::kRandom ? 50 : 1;
    for (int round = 0; round < rounds; ++round) {
      auto scanner = set->NewScanner();
      Feed(*scanner, Text(), Raw(), test.split, random);
      EXPECT_EQ(Join(Names(*set, scanner->Finish())), "PHRASE,TAIL,RAW,RAWEND")
          << test.label << " round " << round;
    }
  }
}

TEST(StreamingTest, EndAnchorsNeedTheEnd) {
  auto set = BuildOrDie(kRules);
  ASSERT_NE(set, nullptr);
  auto scanner = set->NewScanner();
  scanner->Text("Kind regards\nP.S. more", true);
  scanner->RawBody("end.\r\nmore");
  EXPECT_EQ(Join(Names(*set, scanner->Finish())), "");
}

TEST(StreamingTest, SlotsAreReusedAndClean) {
  auto set = BuildOrDie(kRules);
  ASSERT_NE(set, nullptr);
  // A message that stops half way through a phrase must not leave state for
  // the next message that reuses its slot.
  for (int round = 0; round < 3; ++round) {
    {
      auto abandoned = set->NewScanner();
      abandoned->Text("urgent wire", true);
    }
    auto scanner = set->NewScanner();
    scanner->Text(" transfer", true);
    EXPECT_EQ(Join(Names(*set, scanner->Finish())), "") << round;
    auto finished = set->NewScanner();
    finished->Text("urgent wire", true);
    finished->Finish();
  }
}

TEST(StreamingTest, ConcurrentMessagesShareOneRuleSet) {
  auto set = BuildOrDie(kRules);
  ASSERT_NE(set, nullptr);
  // Four threads, each its own messages: the slot pool hands out separate
  // scratch and streams, so results never mix.
  constexpr int kThreads = 4;
  constexpr int kMessages = 200;
  std::vector<int> wrong(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t));
      for (int i = 0; i < kMessages; ++i) {
        bool spam = (i + t) % 2 == 0;
        auto scanner = set->NewScanner();
        Feed(*scanner, spam ? Text() : "nothing here", spam ? Raw() : "plain\r\n", Split::kRandom,
             random);
        std::string got = Join(Names(*set, scanner->Finish()));
        if (got != (spam ? "PHRASE,TAIL,RAW,RAWEND" : "")) ++wrong[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(wrong[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace portcullis::content
