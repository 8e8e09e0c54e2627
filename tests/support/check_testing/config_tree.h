// ConfigValue trees built by hand, in the shape (and with the lines) the Lua
// config loader produces, for tests of a check's options. Test-only.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "portcullis/config_value.h"

namespace portcullis::testing {

inline ConfigValue Str(std::string text, int line = 0) {
  ConfigValue value;
  value.type = ConfigValue::Type::kString;
  value.string = std::move(text);
  value.line = line;
  return value;
}

inline ConfigValue Num(double number, int line = 0) {
  ConfigValue value;
  value.type = ConfigValue::Type::kNumber;
  value.number = number;
  value.line = line;
  return value;
}

inline ConfigValue Bool(bool flag, int line = 0) {
  ConfigValue value;
  value.type = ConfigValue::Type::kBoolean;
  value.boolean = flag;
  value.line = line;
  return value;
}

inline ConfigValue Table(std::vector<std::pair<std::string, ConfigValue>> fields, int line = 0) {
  ConfigValue value;
  value.type = ConfigValue::Type::kTable;
  value.line = line;
  for (auto& [key, field] : fields) value.fields[key] = std::move(field);
  return value;
}

// An array of values (`{ a, b }`); the loader gives items inside a table
// the line of the table.
inline ConfigValue Items(std::vector<ConfigValue> items, int line = 0) {
  ConfigValue value;
  value.type = ConfigValue::Type::kTable;
  value.line = line;
  value.items = std::move(items);
  return value;
}

// An array of strings, each on the array's line.
inline ConfigValue List(std::vector<std::string> items, int line = 0) {
  std::vector<ConfigValue> values;
  for (std::string& item : items) values.push_back(Str(std::move(item), line));
  return Items(std::move(values), line);
}

}  // namespace portcullis::testing
