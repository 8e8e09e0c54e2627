// Test helpers for the greylist check: config trees, a transaction fixture
// with fake early results, a settable wall clock shared by the check and
// the MemoryStore, and the check built against them. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config_tree.h"
#include "greylist_check.h"
#include "memory_store.h"
#include "portcullis/check_registry.h"
#include "portcullis/config_value.h"
#include "portcullis/transaction_info.h"

namespace portcullis::greylist::testing {

using portcullis::testing::Bool;
using portcullis::testing::Items;
using portcullis::testing::List;
using portcullis::testing::MemoryStore;
using portcullis::testing::Num;
using portcullis::testing::Str;
using portcullis::testing::Table;

// A wall clock tests move by hand; starts at a fixed, whole-second time.
class FakeClock {
 public:
  store::Clock::time_point now() const { return now_; }
  void Advance(std::chrono::seconds by) { now_ += by; }
  WallClock fn() {
    return [this] { return now_; };
  }

 private:
  store::Clock::time_point now_ = store::Clock::time_point(std::chrono::seconds(1'800'000'000));
};

// Early results by check name; records which checks were asked.
class FakeEarlyResults : public EarlyResults {
 public:
  std::map<std::string, CheckResult> results;
  std::vector<std::string> asked;
  const CheckResult* Get(std::string_view check, Deadline) override {
    asked.emplace_back(check);
    auto it = results.find(std::string(check));
    return it == results.end() ? nullptr : &it->second;
  }
};

// Owns the parts a TransactionInfo refers to. Defaults: a remote client
// 192.0.2.10 named mx.example.net, sender alice@example.org.
struct Transaction {
  Transaction() {
    connection.client_addr_text = "192.0.2.10";
    connection.client_addr = IpAddress::Parse("192.0.2.10");
    connection.client_name = "mx.example.net";
    connection.helo = "mx.example.net";
    message.mail_from = "alice@example.org";
  }
  void SetClient(const std::string& address, const std::string& name = "unknown") {
    connection.client_addr_text = address;
    connection.client_addr = IpAddress::Parse(address);
    connection.client_name = name;
  }
  TransactionInfo info() {
    TransactionInfo info{connection, message, macros};
    info.early = with_early ? &early : nullptr;
    return info;
  }
  ConnectionInfo connection;
  MessageInfo message;
  std::unordered_map<std::string, std::string> macros;
  FakeEarlyResults early;
  bool with_early = true;
};

// The spf check's early result: a method "spf" with `result` for
// smtp.mailfrom (or smtp.helo for the null sender) `identity`.
inline CheckResult SpfResult(const std::string& result, const std::string& property,
                             const std::string& identity) {
  CheckResult spf;
  spf.symbols.push_back({"SPF_" + ToLower(result), 0, ""});
  spf.methods.push_back({"spf", result, {{property, identity}}});
  return spf;
}

// The check from `tree` (the checks.greylist table), collecting errors.
inline std::unique_ptr<Check> MakeCheck(const ConfigValue& tree, const CheckContext& context,
                                        WallClock now, ConfigErrors* errors) {
  ConfigReader reader(&tree, "checks.greylist", "portcullis.lua", errors);
  return MakeGreylistCheckWithClock(reader, context, std::move(now));
}

// The same, failing the test on any config error.
inline std::unique_ptr<Check> MakeCheck(const ConfigValue& tree, store::Store* store,
                                        FakeClock* clock, bool offline = false) {
  ConfigErrors errors;
  CheckContext context;
  context.store = store;
  context.offline = offline;
  std::unique_ptr<Check> check;
  {
    ConfigReader reader(&tree, "checks.greylist", "portcullis.lua", &errors);
    check = MakeGreylistCheckWithClock(reader, context, clock->fn());
  }
  for (const std::string& error : errors.all()) ADD_FAILURE() << error;
  return check;
}

// All config errors as one string, for "want substring" assertions.
inline std::string ConfigErrorsOf(const ConfigValue& tree, const std::string& config_dir = "") {
  ConfigErrors errors;
  {
    CheckContext context;
    context.config_dir = config_dir;
    ConfigReader reader(&tree, "checks.greylist", "portcullis.lua", &errors);
    MakeGreylistCheck(reader, context);
  }
  std::string all;
  for (const std::string& error : errors.all()) all += error + "\n";
  return all;
}

// "NAME" for every symbol, space-separated, in order.
inline std::string SymbolNames(const CheckResult& result) {
  std::string text;
  for (const Symbol& symbol : result.symbols) text += (text.empty() ? "" : " ") + symbol.name;
  return text;
}

// A config tree with no options beyond `fields`, and no early-result skip
// rules unless asked (so plain store tests need no spf fake).
inline ConfigValue Options(std::vector<std::pair<std::string, ConfigValue>> fields = {}) {
  return Table(std::move(fields));
}

}  // namespace portcullis::greylist::testing
