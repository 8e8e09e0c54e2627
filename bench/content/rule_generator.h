// Generated spam-rule shapes and English-like text for the content
// benchmark: deterministic from a seed, so runs compare.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace portcullis::bench {

struct GeneratedRule {
  std::string pattern;
  bool caseless = false;
};

// `count` rules in realistic shapes: words, phrases joined by \s+,
// alternations, bounded gaps (.{0,30}), digit runs; mostly caseless.
std::vector<GeneratedRule> GenerateRules(size_t count, uint32_t seed);

// A Lua rule file holding `rules` on target text.
std::string RulesAsLua(const std::vector<GeneratedRule>& rules);

// About `bytes` of English-like text (sentences of common words, some
// numbers and punctuation, paragraphs), with `spam_per_mille` of the words
// drawn from the spam vocabulary the rules use (ham: a few per mille;
// spam-dense text: tens).
std::string GenerateText(size_t bytes, uint32_t seed, unsigned spam_per_mille);

}  // namespace portcullis::bench
