// Runs the Lua policy: Report in, Verdict out.
//
// Built once per Snapshot; Decide() is thread-safe. Each call borrows a
// sandboxed Lua state from a pool (a state is never used by two threads at
// once) and returns it afterwards. A policy error, a budget overrun or a
// malformed return value yields the configured fallback verdict, is logged
// and counted — never a crash or a hung MTA.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/engine_config.h"
#include "lua/lua_sandbox.h"
#include "pipeline/report.h"

namespace portcullis {

struct PolicyInput {
  const Report& report;
  const TransactionInfo& transaction;
};

class PolicyRunner {
 public:
  // Compiles the policy once to validate it; errors go to `errors` with
  // file:line and nullptr is returned.
  static std::unique_ptr<PolicyRunner> Create(const PolicyConfig& config,
                                              ConfigErrors* errors);
  ~PolicyRunner();

  Verdict Decide(const PolicyInput& input) const;
  const std::string& source_name() const { return chunk_name_; }

 private:
  struct PooledState;
  PolicyRunner(const PolicyConfig& config, std::string source, std::string chunk_name);
  std::unique_ptr<PooledState> NewState(std::string* error) const;
  std::unique_ptr<PooledState> Acquire() const;
  void Release(std::unique_ptr<PooledState> state) const;
  Verdict Fallback(const std::string& why, std::string_view reason_label) const;

  PolicyConfig config_;
  std::string source_;
  std::string chunk_name_;
  mutable std::mutex mutex_;
  mutable std::condition_variable available_;
  mutable std::vector<std::unique_ptr<PooledState>> idle_;
  mutable int64_t created_ = 0;
};

}  // namespace portcullis
