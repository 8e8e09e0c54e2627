// Helpers for tests: ConfigValue trees built by hand (the shape the Lua
// config loader produces) and TransactionInfo fixtures. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "lists_check.h"
#include "portcullis/config_value.h"
#include "portcullis/transaction_info.h"

namespace portcullis::lists::testing {

inline ConfigValue Str(std::string text, int line = 0) {
  ConfigValue value;
  value.type = ConfigValue::Type::kString;
  value.string = std::move(text);
  value.line = line;
  return value;
}

inline ConfigValue Num(double number) {
  ConfigValue value;
  value.type = ConfigValue::Type::kNumber;
  value.number = number;
  return value;
}

inline ConfigValue List(std::initializer_list<std::string> items, int first_line = 0) {
  ConfigValue value;
  value.type = ConfigValue::Type::kTable;
  value.line = first_line;
  int line = first_line;
  for (const std::string& item : items) value.items.push_back(Str(item, line ? line++ : 0));
  return value;
}

inline ConfigValue Table(std::initializer_list<std::pair<std::string, ConfigValue>> fields,
                         int line = 0) {
  ConfigValue value;
  value.type = ConfigValue::Type::kTable;
  value.line = line;
  for (const auto& [key, field] : fields) value.fields[key] = field;
  return value;
}

// Owns the parts a TransactionInfo refers to.
struct Transaction {
  ConnectionInfo connection;
  MessageInfo message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info() const { return TransactionInfo{connection, message, macros}; }
};

// The lists check from `tree` (the checks.lists table); errors go to `errors`.
inline std::unique_ptr<Check> MakeCheck(const ConfigValue& tree, ConfigErrors* errors) {
  ConfigReader reader(&tree, "checks.lists", "portcullis.lua", errors);
  return MakeListsCheck(reader, CheckContext{});
}

// The same, failing the test on any config error.
inline std::unique_ptr<Check> MakeCheck(const ConfigValue& tree) {
  ConfigErrors errors;
  auto check = MakeCheck(tree, &errors);
  for (const std::string& error : errors.all()) ADD_FAILURE() << error;
  return check;
}

}  // namespace portcullis::lists::testing
