// Test helpers for the uribl check: the SURBL/URIBL/DBL list entries of the
// README as ConfigValue trees, URLs as the MIME parser would report them, a
// transaction fixture, and the check built against a FakeResolver.
// Test-only.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config_tree.h"
#include "fake_resolver.h"
#include "portcullis/check_registry.h"
#include "portcullis/config_value.h"
#include "portcullis/mime.h"
#include "portcullis/transaction_info.h"
#include "uribl_check.h"

namespace portcullis::uribl::testing {

using portcullis::testing::Bool;
using portcullis::testing::Items;
using portcullis::testing::Num;
using portcullis::testing::Str;
using portcullis::testing::Table;
using Fields = std::vector<std::pair<std::string, ConfigValue>>;

inline ConfigValue Strings(std::vector<std::string> items, int line = 0) {
  return portcullis::testing::List(std::move(items), line);
}

// { symbol = "NAME", score = N }
inline ConfigValue Sym(const std::string& symbol, double score) {
  return Table({{"symbol", Str(symbol)}, {"score", Num(score)}});
}

// SURBL multi: bit masks on the last octet (README).
inline ConfigValue SurblList(Fields extra = {}) {
  Fields fields = {
      {"zone", Str("multi.surbl.org")},
      {"type", Str("both")},
      {"masks", Table({{"0x08", Sym("URIBL_SURBL_PH", 5)},
                       {"0x10", Sym("URIBL_SURBL_MW", 5)},
                       {"0x40", Sym("URIBL_SURBL_ABUSE", 4)},
                       {"0x80", Sym("URIBL_SURBL_CR", 3)}})},
  };
  for (auto& field : extra) fields.push_back(std::move(field));
  return Table(std::move(fields));
}

// Spamhaus DBL: codes (README).
inline ConfigValue DblList(Fields extra = {}) {
  Fields fields = {
      {"zone", Str("dbl.spamhaus.org")},
      {"codes", Table({{"127.0.1.2", Sym("URIBL_DBL_SPAM", 5)},
                       {"127.0.1.4", Sym("URIBL_DBL_PHISH", 6)},
                       {"127.0.1.5", Sym("URIBL_DBL_MALWARE", 6)},
                       {"127.0.1.6", Sym("URIBL_DBL_BOTNET", 6)},
                       {"127.0.1.102-127.0.1.106", Sym("URIBL_DBL_ABUSED", 2)}})},
      {"default", Sym("URIBL_DBL", 3)},
  };
  for (auto& field : extra) fields.push_back(std::move(field));
  return Table(std::move(fields));
}

// checks.uribl = { lists = { ... }, <extra> }
inline ConfigValue Options(std::vector<ConfigValue> lists, Fields extra = {}) {
  Fields fields = {{"lists", Items(std::move(lists))}};
  for (auto& field : extra) fields.push_back(std::move(field));
  return Table(std::move(fields));
}

// A URL as the MIME parser reports it.
inline mime::Url DomainUrl(const std::string& host, const std::string& registered_domain,
                           bool obfuscated = false) {
  mime::Url url;
  url.text = "http://" + host + "/";
  url.scheme = "http";
  url.host = host;
  url.registered_domain = registered_domain;
  url.obfuscated = obfuscated;
  return url;
}

inline mime::Url IpUrl(const std::string& address) {
  mime::Url url;
  url.text = "http://" + address + "/";
  url.scheme = "http";
  url.host = address;
  url.host_is_ip = true;
  return url;
}

// Owns the parts a TransactionInfo refers to.
struct Transaction {
  ConnectionInfo connection;
  MessageInfo message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info() const { return TransactionInfo{connection, message, macros}; }
};

// The uribl check from `tree` (the checks.uribl table), failing the test on
// any config error.
inline std::unique_ptr<Check> MakeCheck(const ConfigValue& tree, dns::Resolver* resolver,
                                        prometheus::Registry* metrics = nullptr) {
  ConfigErrors errors;
  CheckContext context;
  context.resolver = resolver;
  context.metrics = metrics;
  std::unique_ptr<Check> check;
  {
    ConfigReader reader(&tree, "checks.uribl", "portcullis.lua", &errors);
    check = MakeUriblCheck(reader, context);
  }
  for (const std::string& error : errors.all()) ADD_FAILURE() << error;
  return check;
}

// All config errors as one string, for "want substring" assertions.
inline std::string ConfigErrorsOf(const ConfigValue& tree) {
  ConfigErrors errors;
  {
    ConfigReader reader(&tree, "checks.uribl", "portcullis.lua", &errors);
    MakeUriblCheck(reader, CheckContext{});
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

// The detail of the first symbol called `name`, or "" when absent.
inline std::string DetailOf(const CheckResult& result, const std::string& name) {
  for (const Symbol& symbol : result.symbols) {
    if (symbol.name == name) return symbol.detail;
  }
  return "";
}

}  // namespace portcullis::uribl::testing
