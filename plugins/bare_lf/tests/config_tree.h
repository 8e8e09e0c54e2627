// Test helper: builds ConfigValue trees by hand, with source lines, as the
// Lua config loader would.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "portcullis/config_value.h"

namespace portcullis::bare_lf {

inline ConfigValue Str(std::string text, int line) {
  ConfigValue value;
  value.type = ConfigValue::Type::kString;
  value.string = std::move(text);
  value.line = line;
  return value;
}

inline ConfigValue Num(double number, int line) {
  ConfigValue value;
  value.type = ConfigValue::Type::kNumber;
  value.number = number;
  value.line = line;
  return value;
}

inline ConfigValue Table(std::vector<std::pair<std::string, ConfigValue>> fields, int line) {
  ConfigValue value;
  value.type = ConfigValue::Type::kTable;
  value.line = line;
  for (auto& [key, field] : fields) value.fields.emplace(key, std::move(field));
  return value;
}

}  // namespace portcullis::bare_lf
