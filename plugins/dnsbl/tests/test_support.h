// Test helpers for the dnsbl check: ConfigValue trees built by hand (the
// shape and lines the Lua config loader produces), a transaction fixture,
// and the check built against a FakeResolver. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dnsbl_check.h"
#include "fake_resolver.h"
#include "portcullis/check_registry.h"
#include "portcullis/config_value.h"
#include "portcullis/transaction_info.h"

namespace portcullis::dnsbl::testing {

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

// An array of values (`{ a, b }`); the loader gives table items the line of
// their parent.
inline ConfigValue Items(std::vector<ConfigValue> items, int line = 0) {
  ConfigValue value;
  value.type = ConfigValue::Type::kTable;
  value.line = line;
  value.items = std::move(items);
  return value;
}

inline ConfigValue Strings(std::vector<std::string> items) {
  std::vector<ConfigValue> values;
  for (std::string& item : items) values.push_back(Str(std::move(item)));
  return Items(std::move(values));
}

// { symbol = "NAME", score = N }
inline ConfigValue Sym(const std::string& symbol, double score) {
  return Table({{"symbol", Str(symbol)}, {"score", Num(score)}});
}

// The Spamhaus ZEN entry of the README.
inline ConfigValue ZenList(std::vector<std::pair<std::string, ConfigValue>> extra = {}) {
  std::vector<std::pair<std::string, ConfigValue>> fields = {
      {"zone", Str("zen.spamhaus.org")},
      {"codes", Table({{"127.0.0.2", Sym("RBL_ZEN_SBL", 4)},
                       {"127.0.0.3", Sym("RBL_ZEN_SBL_CSS", 4)},
                       {"127.0.0.4-127.0.0.7", Sym("RBL_ZEN_XBL", 5)},
                       {"127.0.0.9", Sym("RBL_ZEN_DROP", 6)},
                       {"127.0.0.10/31", Sym("RBL_ZEN_PBL", 2)}})},
      {"default", Sym("RBL_ZEN", 3)},
  };
  for (auto& field : extra) fields.push_back(std::move(field));
  return Table(std::move(fields));
}

// Owns the parts a TransactionInfo refers to.
struct Transaction {
  ConnectionInfo connection;
  MessageInfo message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info() const { return TransactionInfo{connection, message, macros}; }
};

// The dnsbl check from `tree` (the checks.dnsbl table) against `context`.
inline std::unique_ptr<Check> MakeCheck(const ConfigValue& tree, const CheckContext& context,
                                        ConfigErrors* errors) {
  ConfigReader reader(&tree, "checks.dnsbl", "portcullis.lua", errors);
  return MakeDnsblCheck(reader, context);
}

// The same, failing the test on any config error.
inline std::unique_ptr<Check> MakeCheck(const ConfigValue& tree, dns::Resolver* resolver,
                                        prometheus::Registry* metrics = nullptr) {
  ConfigErrors errors;
  CheckContext context;
  context.resolver = resolver;
  context.metrics = metrics;
  std::unique_ptr<Check> check;
  {
    ConfigReader reader(&tree, "checks.dnsbl", "portcullis.lua", &errors);
    check = MakeDnsblCheck(reader, context);
  }
  for (const std::string& error : errors.all()) ADD_FAILURE() << error;
  return check;
}

// All config errors as one string, for "want substring" assertions.
inline std::string ConfigErrorsOf(const ConfigValue& tree) {
  ConfigErrors errors;
  {
    ConfigReader reader(&tree, "checks.dnsbl", "portcullis.lua", &errors);
    MakeDnsblCheck(reader, CheckContext{});
  }
  std::string all;
  for (const std::string& error : errors.all()) all += error + "\n";
  return all;
}

// "NAME(score)" for every symbol, in order: easy to compare in tables.
inline std::string SymbolList(const CheckResult& result) {
  std::string text;
  for (const Symbol& symbol : result.symbols) {
    if (!text.empty()) text += " ";
    std::string score = std::to_string(symbol.score);
    score.erase(score.find_last_not_of('0') + 1);
    if (!score.empty() && score.back() == '.') score.pop_back();
    text += symbol.name + "(" + score + ")";
  }
  return text;
}

}  // namespace portcullis::dnsbl::testing
