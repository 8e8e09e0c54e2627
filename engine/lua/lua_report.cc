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

void PushReport(lua_State* L, const Report& report, const TransactionInfo& transaction,
                const std::map<std::string, double>& thresholds) {
  lua_createtable(L, 0, 8);
  lua_pushnumber(L, report.score);
  lua_setfield(L, -2, "score");

  // Sized up front: a table that grows is rehashed at every power of two.
  int symbol_count = 0;
  for (const CheckResult& result : report.results) {
    symbol_count += static_cast<int>(result.symbols.size());
  }
  lua_createtable(L, symbol_count, 0);  // symbols: array of {name, score, check, detail}
  lua_createtable(L, 0, symbol_count);  // symbol: name -> score
  lua_createtable(L, 0, static_cast<int>(report.results.size()));  // checks: name -> {...}
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
  lua_setfield(L, -4, "checks");
  lua_setfield(L, -3, "symbol");
  lua_setfield(L, -2, "symbols");

  lua_createtable(L, static_cast<int>(report.requests.size()), 0);
  for (size_t i = 0; i < report.requests.size(); ++i) {
    PushRequest(L, report.requests[i].first, report.requests[i].second);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, "requests");

  PushEnvelope(L, transaction);
  lua_setfield(L, -2, "envelope");

  lua_createtable(L, 0, static_cast<int>(thresholds.size()));
  for (const auto& [name, value] : thresholds) {
    lua_pushnumber(L, value);
    lua_setfield(L, -2, name.c_str());
  }
  lua_setfield(L, -2, "thresholds");
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
