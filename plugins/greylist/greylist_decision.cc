#include "greylist_decision.h"

#include <array>

namespace portcullis::greylist {
namespace {

struct Names {
  std::string_view symbol;
  std::string_view label;
};

constexpr std::array<Names, kDecisionCount> kNames = {{
    {"GREYLIST_NEW", "new"},
    {"GREYLIST_EARLY", "early"},
    {"GREYLIST_PASSED", "passed"},
    {"GREYLIST_KNOWN", "known"},
    {"GREYLIST_AUTO_ALLOWLISTED", "auto_allowlisted"},
    {"GREYLIST_ALLOWLISTED", "allowlisted"},
    {"GREYLIST_SKIPPED", "skipped"},
    {"GREYLIST_STORE_ERROR", "store_error"},
    {"GREYLIST_RCPT_LIMIT", "rcpt_limit"},
}};

}  // namespace

std::string_view DecisionSymbol(Decision decision) {
  return kNames[static_cast<size_t>(decision)].symbol;
}

std::string_view DecisionLabel(Decision decision) {
  return kNames[static_cast<size_t>(decision)].label;
}

std::optional<Decision> DecisionForSymbol(std::string_view symbol) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i].symbol == symbol) return static_cast<Decision>(i);
  }
  return std::nullopt;
}

}  // namespace portcullis::greylist
