// Helpers for the content tests: build a RuleSet from inline Lua and list
// the names a scan reports. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "portcullis/content/rule_set.h"

namespace portcullis::content::testing {

inline std::shared_ptr<const RuleSet> BuildOrDie(const std::string& lua,
                                                 const RuleSetOptions& options = {}) {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  auto set = RuleSet::Build({{"test.lua", lua}}, options, &errors, &warnings);
  std::string all;
  for (const std::string& error : errors) all += error + "\n";
  EXPECT_NE(set, nullptr) << all;
  return set;
}

inline std::vector<std::string> Names(const RuleSet& set, const std::vector<size_t>& hits) {
  std::vector<std::string> names;
  for (size_t index : hits) names.push_back(set.entries()[index].name);
  return names;
}

inline std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace portcullis::content::testing
