#include "lua/policy_runner.h"

#include <chrono>

#include "config/lua_config_loader.h"
#include "lua/lua_report.h"
#include "metrics/engine_metrics.h"
#include "portcullis/log.h"

extern "C" {
#include <lauxlib.h>
#include <lua.h>
}

extern const char kEmbeddedPolicyLua[];

namespace portcullis {
namespace {

// When every state is busy and the pool is at its cap, a caller waits this
// long for one before falling back; far below any MTA milter timeout.
constexpr auto kPoolWait = std::chrono::milliseconds(2000);

}  // namespace

struct PolicyRunner::PooledState {
  explicit PooledState(const LuaSandboxOptions& options) : sandbox(options) {}
  LuaSandbox sandbox;
  int function_ref = LUA_NOREF;
};

PolicyRunner::PolicyRunner(const PolicyConfig& config, std::string source, std::string chunk_name)
    : config_(config), source_(std::move(source)), chunk_name_(std::move(chunk_name)) {}

PolicyRunner::~PolicyRunner() = default;

std::unique_ptr<PolicyRunner> PolicyRunner::Create(const PolicyConfig& config,
                                                   ConfigErrors* errors) {
  std::string source = kEmbeddedPolicyLua;
  std::string name = "policy.lua (built in)";
  if (!config.file.empty()) {
    std::string error;
    if (!ReadTextFile(config.file, &source, &error)) {
      errors->AddFormatted(config.file + ":0: " + error);
      return nullptr;
    }
    name = config.file;
  }
  std::unique_ptr<PolicyRunner> runner(new PolicyRunner(config, source, name));
  std::string error;
  auto state = runner->NewState(&error);
  if (!state) {
    errors->AddFormatted(error);
    return nullptr;
  }
  runner->idle_.push_back(std::move(state));
  runner->created_ = 1;
  return runner;
}

std::unique_ptr<PolicyRunner::PooledState> PolicyRunner::NewState(std::string* error) const {
  LuaSandboxOptions options;
  options.instruction_limit = config_.instruction_limit;
  options.memory_limit_bytes = static_cast<size_t>(config_.memory_limit_bytes);
  auto state = std::make_unique<PooledState>(options);
  LuaSandbox& sandbox = state->sandbox;
  if (!sandbox.Load(source_, "@" + chunk_name_)) {
    *error = sandbox.LastError();
    return nullptr;
  }
  if (sandbox.Call(0, 1) != LUA_OK) {
    *error = sandbox.LastError();
    return nullptr;
  }
  lua_State* L = sandbox.state();
  if (!lua_isfunction(L, -1)) {
    *error = chunk_name_ + ":0: the policy file must return a function(report)";
    lua_pop(L, 1);
    return nullptr;
  }
  state->function_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return state;
}

std::unique_ptr<PolicyRunner::PooledState> PolicyRunner::Acquire() const {
  std::unique_lock<std::mutex> lock(mutex_);
  if (idle_.empty() && created_ >= config_.max_states) {
    if (!available_.wait_for(lock, kPoolWait, [this] { return !idle_.empty(); })) {
      return nullptr;
    }
  }
  if (!idle_.empty()) {
    auto state = std::move(idle_.back());
    idle_.pop_back();
    return state;
  }
  ++created_;
  lock.unlock();
  std::string error;
  auto state = NewState(&error);
  if (!state) {
    // The source compiled at Create(); failing now means memory trouble.
    LogError("policy: cannot create a Lua state: " + error);
    std::lock_guard<std::mutex> relock(mutex_);
    --created_;
  }
  return state;
}

void PolicyRunner::Release(std::unique_ptr<PooledState> state) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(state));
  }
  available_.notify_one();
}

Verdict PolicyRunner::Fallback(const std::string& why, std::string_view reason_label) const {
  EngineMetrics::Get().CountLuaError(reason_label);
  LogError("policy " + chunk_name_ + ": " + why + "; using fallback verdict " +
           std::string(ActionName(config_.fallback)));
  Verdict verdict;
  verdict.action = config_.fallback;
  verdict.source = "fallback";
  verdict.reason = "policy error";
  if (verdict.action == Action::kTempfail) {
    verdict.smtp_code = "451";
    verdict.enhanced_code = "4.3.0";
    verdict.text = "Temporary local problem, try again later";
  }
  NormaliseReply(verdict.action, &verdict.smtp_code, &verdict.enhanced_code, &verdict.text);
  return verdict;
}

Verdict PolicyRunner::Decide(const PolicyInput& input) const {
  auto state = Acquire();
  if (!state) return Fallback("no Lua state available", "pool_exhausted");
  LuaSandbox& sandbox = state->sandbox;
  lua_State* L = sandbox.state();
  lua_rawgeti(L, LUA_REGISTRYINDEX, state->function_ref);
  PushReport(L, input.report, input.transaction, config_.thresholds);
  Verdict verdict;
  std::string error;
  const int status = sandbox.Call(1, 1);
  EndReport(L);
  if (status != LUA_OK) {
    std::string label = "error";
    if (sandbox.last_failure() == LuaSandbox::Failure::kInstructionLimit) {
      label = "instruction_limit";
    } else if (sandbox.last_failure() == LuaSandbox::Failure::kMemoryLimit) {
      label = "memory_limit";
    }
    std::string message = sandbox.LastError();
    Release(std::move(state));
    return Fallback(message, label);
  }
  bool ok = ReadVerdict(L, &verdict, &error);
  lua_settop(L, 0);
  Release(std::move(state));
  if (!ok) return Fallback(error, "bad_return");
  return verdict;
}

}  // namespace portcullis
