#include "lua/lua_report.h"

extern "C" {
#include <lauxlib.h>
#include <lua.h>
}

namespace portcullis {
namespace {

// Security: headers the policy adds go into every delivered message; keep
// their number and size sane even if a policy is buggy.
constexpr size_t kMaxPolicyHeaders = 16;
constexpr size_t kMaxPolicyHeaderBytes = 2048;

void SetString(lua_State* L, const char* key, const std::string& value) {
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, key);
}

void PushRequest(lua_State* L, const std::string& check, const ActionRequest& request) {
  lua_createtable(L, 0, 6);
  SetString(L, "check", check);
  const std::string_view action = ActionName(request.action);
  lua_pushlstring(L, action.data(), action.size());
  lua_setfield(L, -2, "action");
  SetString(L, "code", request.smtp_code);
  SetString(L, "xcode", request.enhanced_code);
  SetString(L, "text", request.text);
  SetString(L, "reason", request.reason);
}

void PushEnvelope(lua_State* L, const TransactionInfo& tx) {
  lua_createtable(L, 0, 8);
  SetString(L, "client_addr", tx.connection.client_addr_text);
  SetString(L, "client_name", tx.connection.client_name);
  SetString(L, "helo", tx.connection.helo);
  SetString(L, "from", tx.message.mail_from);
  SetString(L, "queue_id", tx.message.queue_id);
  SetString(L, "auth_user", tx.message.auth_authen);
  lua_createtable(L, static_cast<int>(tx.message.recipients.size()), 0);
  for (size_t i = 0; i < tx.message.recipients.size(); ++i) {
    const std::string& rcpt = tx.message.recipients[i];
    lua_pushlstring(L, rcpt.data(), rcpt.size());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, "rcpts");
}

std::string FieldString(lua_State* L, int table, const char* key) {
  lua_getfield(L, table, key);
  std::string value;
  if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
    size_t length = 0;
    const char* text = lua_tolstring(L, -1, &length);
    value.assign(text, length);
  }
  lua_pop(L, 1);
  return value;
}

bool ValidHeaderName(const std::string& name) {
  if (name.empty() || name.size() > 76) return false;
  for (unsigned char c : name) {
    if (c <= 32 || c >= 127 || c == ':') return false;  // RFC 5322 2.2 ftext
  }
  return true;
}

bool ReadHeaders(lua_State* L, int table, Verdict* verdict, std::string* error) {
  lua_getfield(L, table, "headers");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return true;
  }
  if (!lua_istable(L, -1)) {
    *error = "headers must be a table of name = value";
    lua_pop(L, 1);
    return false;
  }
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
      *error = "headers must map names to strings";
      lua_pop(L, 3);
      return false;
    }
    std::string name = lua_tostring(L, -2);
    std::string value = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (!ValidHeaderName(name)) {
      *error = "invalid header name '" + name + "'";
      lua_pop(L, 2);
      return false;
    }
    for (char& c : value) {
      if (c == '\r' || c == '\n' || c == '\0') c = ' ';
    }
    if (value.size() > kMaxPolicyHeaderBytes) value.resize(kMaxPolicyHeaderBytes);
    if (verdict->add_headers.size() < kMaxPolicyHeaders) {
      verdict->add_headers.push_back({name, value});
    }
  }
  lua_pop(L, 1);
  return true;
}

// methods: array of {method, result, properties = {["header.d"] = ...}}
// (RFC 8601 results in structured form, e.g. to trust an ARC sealer).
void PushMethods(lua_State* L, const std::vector<AuthMethodResult>& methods) {
  lua_createtable(L, static_cast<int>(methods.size()), 0);
  for (size_t i = 0; i < methods.size(); ++i) {
    lua_createtable(L, 0, 3);
    SetString(L, "method", methods[i].method);
    SetString(L, "result", methods[i].result);
    lua_createtable(L, 0, static_cast<int>(methods[i].properties.size()));
    for (const auto& [name, value] : methods[i].properties) SetString(L, name.c_str(), value);
    lua_setfield(L, -2, "properties");
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

}  // namespace

namespace {

// Pushes the three tables built together: symbols (array of {name, score,
// check, detail}), symbol (name -> score) and checks (name -> {...}).
void PushSymbolsAndChecks(lua_State* L, const Report& report) {
  // Sized up front: a table that grows is rehashed at every power of two.
  int symbol_count = 0;
  for (const CheckResult& result : report.results) {
    symbol_count += static_cast<int>(result.symbols.size());
  }
  lua_createtable(L, symbol_count, 0);                             // symbols
  lua_createtable(L, 0, symbol_count);                             // symbol
  lua_createtable(L, 0, static_cast<int>(report.results.size()));  // checks
  lua_Integer index = 1;
  for (const CheckResult& result : report.results) {
    lua_createtable(L, 0, 3);
    const std::string_view status = CheckStatusName(result.status);
    lua_pushlstring(L, status.data(), status.size());
    lua_setfield(L, -2, "status");
    lua_createtable(L, 0, static_cast<int>(result.symbols.size()));
    for (const Symbol& symbol : result.symbols) {
      lua_pushnumber(L, symbol.score);
      lua_setfield(L, -2, symbol.name.c_str());
      lua_createtable(L, 0, 4);
      SetString(L, "name", symbol.name);
      lua_pushnumber(L, symbol.score);
      lua_setfield(L, -2, "score");
      SetString(L, "check", result.check);
      SetString(L, "detail", symbol.detail);
      lua_rawseti(L, -6, index++);
      lua_pushnumber(L, symbol.score);
      lua_setfield(L, -5, symbol.name.c_str());
    }
    lua_setfield(L, -2, "symbols");
    PushMethods(L, result.methods);
    lua_setfield(L, -2, "methods");
    lua_setfield(L, -2, result.check.c_str());
  }
}

// The fields most policies never read (the shipped one reads score,
// requests and thresholds only) are built on first use: per message they
// were most of the policy's cost. What they are built from lives in a
// userdata of the state, pointed at the current message during the call.
struct LazyReportSource {
  const Report* report = nullptr;
  const TransactionInfo* transaction = nullptr;
  const void* table = nullptr;  // the report table these belong to
};

// Registry keys: their addresses are unique to this file.
const char kSourceKey = 0;
const char kMetatableKey = 0;

LazyReportSource* Source(lua_State* L) {
  return static_cast<LazyReportSource*>(lua_touserdata(L, lua_upvalueindex(1)));
}

// Fills every lazy field of the report table at index 1 that is still
// unset. Only the report of the call in progress has its data; a report a
// policy kept from an earlier message has none left and stays as it is.
void FillLazyFields(lua_State* L, LazyReportSource* source, bool want_checks, bool want_envelope) {
  if (source->table == nullptr || source->table != lua_topointer(L, 1)) return;
  // Raw access throughout: a plain get of an unset field would call
  // __index, which is what is running.
  auto unset = [L](const char* field) {
    lua_pushstring(L, field);
    const bool nil = lua_rawget(L, 1) == LUA_TNIL;
    lua_pop(L, 1);
    return nil;
  };
  auto store = [L](const char* field) {  // pops the value
    lua_pushstring(L, field);
    lua_insert(L, -2);
    lua_rawset(L, 1);
  };
  if (want_checks && unset("checks")) {
    PushSymbolsAndChecks(L, *source->report);
    store("checks");
    store("symbol");
    store("symbols");
  }
  if (want_envelope && unset("envelope")) {
    PushEnvelope(L, *source->transaction);
    store("envelope");
  }
}

// __index(report, key)
int LazyIndex(lua_State* L) {
  size_t length = 0;
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &length) : nullptr;
  const std::string_view name = key ? std::string_view(key, length) : std::string_view();
  const bool checks = name == "checks" || name == "symbols" || name == "symbol";
  const bool envelope = name == "envelope";
  if (!checks && !envelope) return 0;
  FillLazyFields(L, Source(L), checks, envelope);
  lua_settop(L, 2);
  lua_rawget(L, 1);
  return 1;
}

int RawNext(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if (lua_next(L, 1)) return 2;
  lua_pushnil(L);
  return 1;
}

// __pairs(report): every field, the lazy ones filled first.
int LazyPairs(lua_State* L) {
  FillLazyFields(L, Source(L), true, true);
  lua_pushcfunction(L, RawNext);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

// Pushes this state's report metatable, creating it and the source the
// first time; returns the source.
LazyReportSource* PushReportMetatable(lua_State* L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kMetatableKey) == LUA_TTABLE) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kSourceKey);
    auto* source = static_cast<LazyReportSource*>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    return source;
  }
  lua_pop(L, 1);
  auto* source = static_cast<LazyReportSource*>(lua_newuserdatauv(L, sizeof(LazyReportSource), 0));
  *source = LazyReportSource{};
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kSourceKey);
  lua_createtable(L, 0, 3);
  lua_pushvalue(L, -2);
  lua_pushcclosure(L, LazyIndex, 1);
  lua_setfield(L, -2, "__index");
  lua_pushvalue(L, -2);
  lua_pushcclosure(L, LazyPairs, 1);
  lua_setfield(L, -2, "__pairs");
  // getmetatable() answers this, and setmetatable() refuses to replace it.
  lua_pushliteral(L, "portcullis report");
  lua_setfield(L, -2, "__metatable");
  lua_remove(L, -2);  // the userdata, kept alive by the registry
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kMetatableKey);
  return source;
}

}  // namespace

void PushReport(lua_State* L, const Report& report, const TransactionInfo& transaction,
                const std::map<std::string, double>& thresholds) {
  LazyReportSource* source = PushReportMetatable(L);
  lua_createtable(L, 0, 8);
  lua_pushnumber(L, report.score);
  lua_setfield(L, -2, "score");

  lua_createtable(L, static_cast<int>(report.requests.size()), 0);
  for (size_t i = 0; i < report.requests.size(); ++i) {
    PushRequest(L, report.requests[i].first, report.requests[i].second);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, "requests");

  lua_createtable(L, 0, static_cast<int>(thresholds.size()));
  for (const auto& [name, value] : thresholds) {
    lua_pushnumber(L, value);
    lua_setfield(L, -2, name.c_str());
  }
  lua_setfield(L, -2, "thresholds");

  *source = LazyReportSource{&report, &transaction, lua_topointer(L, -1)};
  lua_insert(L, -2);  // report, metatable
  lua_setmetatable(L, -2);
}

void EndReport(lua_State* L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kSourceKey) == LUA_TUSERDATA) {
    *static_cast<LazyReportSource*>(lua_touserdata(L, -1)) = LazyReportSource{};
  }
  lua_pop(L, 1);
}

bool ReadVerdict(lua_State* L, Verdict* verdict, std::string* error) {
  int top = lua_gettop(L);
  if (lua_type(L, top) == LUA_TSTRING) {
    auto action = ParseAction(lua_tostring(L, top));
    if (!action || *action == Action::kNone) {
      *error = std::string("unknown action '") + lua_tostring(L, top) + "'";
      return false;
    }
    verdict->action = *action;
  } else if (lua_istable(L, top)) {
    std::string name = FieldString(L, top, "action");
    auto action = ParseAction(name);
    if (!action || *action == Action::kNone) {
      *error = "unknown action '" + name + "'";
      return false;
    }
    verdict->action = *action;
    verdict->smtp_code = FieldString(L, top, "code");
    verdict->enhanced_code = FieldString(L, top, "xcode");
    verdict->text = FieldString(L, top, "text");
    verdict->reason = FieldString(L, top, "reason");
    if (!ReadHeaders(L, top, verdict, error)) return false;
  } else {
    *error = std::string("policy returned ") + luaL_typename(L, top) +
             ", want a table or an action name";
    return false;
  }
  if (!NormaliseReply(verdict->action, &verdict->smtp_code, &verdict->enhanced_code,
                      &verdict->text)) {
    *error = "reply code does not match action " + std::string(ActionName(verdict->action));
    return false;
  }
  return true;
}

}  // namespace portcullis
