#include "lua/lua_sandbox.h"

#include <cstdlib>

#include "portcullis/log.h"

extern "C" {
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
}

namespace portcullis {
namespace {

// The count hook fires every kHookInterval VM instructions; small enough to
// stop a loop within microseconds, large enough to cost nothing measurable.
constexpr int kHookInterval = 1000;

LuaSandbox* SandboxOf(lua_State* L) {
  return *static_cast<LuaSandbox**>(lua_getextraspace(L));
}

int SandboxPrint(lua_State* L) {
  std::string line;
  int n = lua_gettop(L);
  for (int i = 1; i <= n; ++i) {
    if (i > 1) line += "\t";
    line += luaL_tolstring(L, i, nullptr);
    lua_pop(L, 1);
  }
  LogInfo("lua: " + line);
  return 0;
}

void CopyFields(lua_State* L, const char* library, const char* const* names, int env) {
  lua_getglobal(L, library);
  lua_newtable(L);
  for (const char* const* name = names; *name; ++name) {
    lua_getfield(L, -2, *name);
    lua_setfield(L, -2, *name);
  }
  lua_setfield(L, env, library);
  lua_pop(L, 1);
}

void CopyLibrary(lua_State* L, const char* library, int env) {
  lua_getglobal(L, library);
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, -3) != 0) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_settable(L, -4);
  }
  lua_setfield(L, env, library);
  lua_pop(L, 1);
}

}  // namespace

void* LuaSandbox::Allocate(void* user, void* block, size_t old_size, size_t new_size) {
  auto* sandbox = static_cast<LuaSandbox*>(user);
  // When block is null, old_size encodes the object type, not a size.
  size_t old_bytes = block ? old_size : 0;
  if (new_size == 0) {
    sandbox->blocks_.Free(block, old_bytes);
    sandbox->memory_used_ -= old_bytes;
    return nullptr;
  }
  if (sandbox->memory_capped_ && sandbox->options_.memory_limit_bytes > 0 &&
      new_size > old_bytes &&
      sandbox->memory_used_ + (new_size - old_bytes) > sandbox->options_.memory_limit_bytes) {
    sandbox->memory_exceeded_ = true;
    return nullptr;
  }
  void* grown = sandbox->blocks_.Resize(block, old_bytes, new_size);
  if (grown) sandbox->memory_used_ = sandbox->memory_used_ - old_bytes + new_size;
  return grown;
}

void LuaSandbox::CountHook(lua_State* L, lua_Debug*) {
  LuaSandbox* sandbox = SandboxOf(L);
  sandbox->instructions_ += kHookInterval;
  if (sandbox->instructions_exceeded_ ||
      sandbox->instructions_ > sandbox->options_.instruction_limit) {
    sandbox->instructions_exceeded_ = true;
    // Fire on every instruction from now on, so a pcall in the policy that
    // swallows this error cannot keep the loop alive.
    lua_sethook(L, &LuaSandbox::CountHook, LUA_MASKCOUNT, 1);
    luaL_error(L, "instruction limit exceeded");
  }
}

LuaSandbox::LuaSandbox(const LuaSandboxOptions& options) : options_(options) {
  state_ = lua_newstate(&LuaSandbox::Allocate, this);
  if (!state_) std::abort();  // out of memory at start-up: nothing sensible left
  *static_cast<LuaSandbox**>(lua_getextraspace(state_)) = this;
  lua_State* L = state_;
  // Generational collection: nearly all a policy call allocates (the report
  // tables) is garbage when it returns, which is what a young collection
  // frees cheaply; incremental mode would trace the whole state for it.
  lua_gc(L, LUA_GCGEN, 0, 0);
  luaL_openlibs(L);
  // Security: ("").dump reaches the real string table through the string
  // metatable, so remove dump there, not only in the sandbox's copy.
  lua_getglobal(L, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 1);

  lua_newtable(L);
  int env = lua_gettop(L);
  static const char* const kBase[] = {
      "assert", "error",    "ipairs",   "next",     "pairs",        "pcall",
      "select", "tonumber", "tostring", "type",     "xpcall",       "rawequal",
      "rawget", "rawlen",   "rawset",   "setmetatable", "getmetatable", "_VERSION",
      nullptr};
  for (const char* const* name = kBase; *name; ++name) {
    lua_getglobal(L, *name);
    lua_setfield(L, env, *name);
  }
  lua_pushcfunction(L, SandboxPrint);
  lua_setfield(L, env, "print");
  for (const char* library : {"string", "table", "math", "utf8", "coroutine"}) {
    CopyLibrary(L, library, env);
  }
  static const char* const kOs[] = {"time", "clock", "date", "difftime", nullptr};
  static const char* const kOsWithEnv[] = {"time", "clock", "date", "difftime", "getenv",
                                           nullptr};
  CopyFields(L, "os", options_.allow_getenv ? kOsWithEnv : kOs, env);
  lua_pushvalue(L, env);
  lua_setfield(L, env, "_G");
  environment_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
}

LuaSandbox::~LuaSandbox() {
  if (state_) lua_close(state_);
}

void LuaSandbox::PushEnvironment() {
  lua_rawgeti(state_, LUA_REGISTRYINDEX, environment_ref_);
}

bool LuaSandbox::Load(const std::string& source, const std::string& chunk_name) {
  // Mode "t": precompiled bytecode can break the VM's safety, never load it.
  if (luaL_loadbufferx(state_, source.data(), source.size(), chunk_name.c_str(), "t") !=
      LUA_OK) {
    last_error_ = lua_tostring(state_, -1);
    lua_pop(state_, 1);
    last_failure_ = Failure::kError;
    return false;
  }
  PushEnvironment();
  lua_setupvalue(state_, -2, 1);
  return true;
}

int LuaSandbox::Call(int nargs, int nresults) {
  instructions_ = 0;
  instructions_exceeded_ = false;
  memory_exceeded_ = false;
  if (options_.instruction_limit > 0) {
    lua_sethook(state_, &LuaSandbox::CountHook, LUA_MASKCOUNT, kHookInterval);
  }
  memory_capped_ = true;
  int status = lua_pcall(state_, nargs, nresults, 0);
  memory_capped_ = false;
  lua_sethook(state_, nullptr, 0, 0);
  last_failure_ = Failure::kNone;
  if (status != LUA_OK) {
    const char* message = lua_tostring(state_, -1);
    last_error_ = message ? message : "error object is not a string";
    lua_pop(state_, 1);
    if (instructions_exceeded_) {
      last_failure_ = Failure::kInstructionLimit;
      last_error_ = "instruction limit exceeded";
    } else if (memory_exceeded_ || status == LUA_ERRMEM) {
      last_failure_ = Failure::kMemoryLimit;
      last_error_ = "memory limit exceeded";
    } else {
      last_failure_ = Failure::kError;
    }
    lua_gc(state_, LUA_GCCOLLECT);
  }
  return status;
}

}  // namespace portcullis
