#include "rule_generator.h"

#include <random>

namespace portcullis::bench {
namespace {

// Common English words: what message text is made of.
const char* const kCommon[] = {
    "the",      "of",     "and",    "to",     "in",       "is",      "you",   "that",   "it",
    "he",       "was",    "for",    "on",     "are",      "as",      "with",  "his",    "they",
    "at",       "be",     "this",   "have",   "from",     "or",      "one",   "had",    "by",
    "word",     "but",    "not",    "what",   "all",      "were",    "we",    "when",   "your",
    "can",      "said",   "there",  "use",    "an",       "each",    "which", "she",    "do",
    "how",      "their",  "if",     "will",   "up",       "other",   "about", "out",    "many",
    "then",     "them",   "these",  "so",     "some",     "her",     "would", "make",   "like",
    "him",      "into",   "time",   "has",    "look",     "two",     "more",  "write",  "go",
    "see",      "number", "no",     "way",    "could",    "people",  "my",    "than",   "first",
    "water",    "been",   "call",   "who",    "oil",      "its",     "now",   "find",   "long",
    "down",     "day",    "did",    "get",    "come",     "made",    "may",   "part",   "meeting",
    "project",  "report", "please", "thanks", "schedule", "budget",  "team",  "review", "attached",
    "document", "week",   "office", "client", "order",    "delivery"};
// Spam vocabulary: what rules look for (some of it occurs in the text).
const char* const kSpam[] = {
    "viagra",    "casino",      "lottery",     "winner",   "bitcoin",   "investment",  "guaranteed",
    "urgent",    "transfer",    "account",     "verify",   "suspended", "password",    "prize",
    "claim",     "free",        "offer",       "discount", "pharmacy",  "loan",        "credit",
    "refinance", "inheritance", "beneficiary", "million",  "dollars",   "payment",     "invoice",
    "wire",      "bank",        "login",       "confirm",  "click",     "unsubscribe", "limited",
    "exclusive", "bonus",       "deposit",     "crypto",   "profit",    "forex"};

std::string Pick(std::mt19937& random, bool spam) {
  if (spam) return kSpam[random() % (sizeof kSpam / sizeof kSpam[0])];
  return kCommon[random() % (sizeof kCommon / sizeof kCommon[0])];
}

// A made-up word, so that most generated rules do not match ordinary text
// (as most real rules do not match most mail).
std::string Invented(std::mt19937& random) {
  static const char* const kSyllables[] = {"ka",  "zu",  "ri",  "mo",  "fex", "tor", "quin", "vel",
                                           "dra", "los", "pem", "nix", "sul", "gor", "bri"};
  std::string word;
  int syllables = 2 + static_cast<int>(random() % 3);
  for (int i = 0; i < syllables; ++i) word += kSyllables[random() % 15];
  return word;
}

std::string Word(std::mt19937& random) {
  // Half the rules use a spam word, half an invented one.
  return random() % 2 ? Pick(random, true) : Invented(random);
}

}  // namespace

std::vector<GeneratedRule> GenerateRules(size_t count, uint32_t seed) {
  std::mt19937 random(seed);
  std::vector<GeneratedRule> rules;
  for (size_t i = 0; i < count; ++i) {
    GeneratedRule rule;
    rule.caseless = random() % 10 < 7;
    switch (random() % 6) {
      case 0: rule.pattern = std::string("\\b") + Invented(random) + "\\b"; break;
      case 1:
        rule.pattern = Word(random) + "\\s+" + Word(random) + "\\s+" + Invented(random);
        break;
      case 2:
        rule.pattern = std::string("(") + Word(random) + "|" + Invented(random) + "|" +
                       Invented(random) + ")\\s+" + Word(random);
        break;
      case 3: rule.pattern = Invented(random) + ".{0,30}" + Word(random); break;
      case 4: rule.pattern = Word(random) + "\\s+" + Invented(random) + "\\s+\\d{3,6}"; break;
      default:
        rule.pattern = Invented(random) + "[ -]?(" + Word(random) + "|" + Word(random) + ")s?\\b";
        break;
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

std::string RulesAsLua(const std::vector<GeneratedRule>& rules) {
  std::string lua;
  for (size_t i = 0; i < rules.size(); ++i) {
    lua += "rule { name = \"GEN_" + std::to_string(i) + "\", target = \"text\", score = 1, ";
    lua += std::string("flags = \"") + (rules[i].caseless ? "i" : "") + "\", ";
    lua += "pattern = [[" + rules[i].pattern + "]] }\n";
  }
  return lua;
}

std::string GenerateText(size_t bytes, uint32_t seed, unsigned spam_per_mille) {
  std::mt19937 random(seed);
  std::string text;
  text.reserve(bytes + 200);
  while (text.size() < bytes) {
    int words = 6 + static_cast<int>(random() % 14);
    for (int i = 0; i < words; ++i) {
      std::string word = Pick(random, random() % 1000 < spam_per_mille);
      if (i == 0) word[0] = static_cast<char>(word[0] - 'a' + 'A');
      text += word;
      if (random() % 40 == 0) {
        text += ' ';
        text += std::to_string(random() % 100000);
      }
      text += i + 1 < words ? (random() % 12 == 0 ? ", " : " ") : ". ";
    }
    if (random() % 5 == 0) text += "\n\n";
  }
  return text;
}

}  // namespace portcullis::bench
