// One Lua state with the sandbox Portcullis runs operator code in: no io, no
// os.execute, no loading of code or C modules, no debug library, no
// string.dump; an instruction budget and a memory cap per call.
//
// Owned by one user at a time (the policy pool hands states out exclusively);
// not thread-safe. Lua errors never escape as C++ exceptions: Call() returns
// the Lua status and LastError() the message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "lua/lua_block_pool.h"

struct lua_State;
struct lua_Debug;

namespace portcullis {

struct LuaSandboxOptions {
  // Security: a runaway policy must not hold a milter thread. Counted in VM
  // instructions; 0 disables the budget (config loading only).
  int64_t instruction_limit = 0;
  // Security: caps the whole state's heap, so one message cannot make a
  // policy allocate without bound. 0 disables the cap.
  size_t memory_limit_bytes = 0;
  bool allow_getenv = false;
};

class LuaSandbox {
 public:
  enum class Failure { kNone, kError, kInstructionLimit, kMemoryLimit };

  explicit LuaSandbox(const LuaSandboxOptions& options);
  ~LuaSandbox();
  LuaSandbox(const LuaSandbox&) = delete;
  LuaSandbox& operator=(const LuaSandbox&) = delete;

  lua_State* state() const { return state_; }
  // Pushes the table operator code sees as its globals.
  void PushEnvironment();
  // Loads text (never bytecode) with the sandbox as its _ENV; pushes the
  // chunk. False with LastError() on a syntax error.
  bool Load(const std::string& source, const std::string& chunk_name);
  // lua_pcall with the budget armed. Returns the Lua status code.
  int Call(int nargs, int nresults);
  const std::string& LastError() const { return last_error_; }
  Failure last_failure() const { return last_failure_; }
  size_t memory_used() const { return memory_used_; }

 private:
  static void* Allocate(void* user, void* block, size_t old_size, size_t new_size);
  static void CountHook(lua_State* L, ::lua_Debug* debug);

  LuaSandboxOptions options_;
  LuaBlockPool blocks_;  // declared before state_: the state's memory lives in it
  lua_State* state_ = nullptr;
  int environment_ref_ = 0;
  size_t memory_used_ = 0;
  bool memory_capped_ = false;  // the cap applies only while a call runs
  bool memory_exceeded_ = false;
  int64_t instructions_ = 0;
  bool instructions_exceeded_ = false;
  std::string last_error_;
  Failure last_failure_ = Failure::kNone;
};

}  // namespace portcullis
