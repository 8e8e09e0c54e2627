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
#include "config_tree.h"
#include "fake_resolver.h"
#include "portcullis/check_registry.h"
#include "portcullis/config_value.h"
#include "portcullis/transaction_info.h"

namespace portcullis::dnsbl::testing {

using portcullis::testing::Bool;
using portcullis::testing::Items;
using portcullis::testing::Num;
using portcullis::testing::Str;
using portcullis::testing::Table;

inline ConfigValue Strings(std::vector<std::string> items) {
  return portcullis::testing::List(std::move(items));
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
