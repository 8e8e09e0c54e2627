#include "content/rule_file_parser.h"

#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <variant>

#include "content/meta_expression.h"
#include "lua/lua_sandbox.h"

extern "C" {
#include <lauxlib.h>
#include <lua.h>
}

namespace portcullis::content {
namespace {

// Security: rule files are operator code, but a loop in one must not hang a
// reload. Generous: a rule file only calls rule{} and meta{}.
constexpr int64_t kRuleFileInstructionLimit = 50'000'000;
constexpr size_t kRuleFileMemoryLimit = 256u << 20;
// Names are symbols operators see in headers and logs.
constexpr size_t kMaxNameLength = 64;
// Scores are added to the message score; beyond this is a typo.
constexpr double kMaxAbsScore = 1000;

using FieldValue = std::variant<std::string, double, bool>;

struct Call {
  bool is_meta = false;
  int line = 0;
  std::map<std::string, FieldValue> fields;
  std::vector<std::string> field_errors;
};

struct Collector {
  std::string file;
  std::vector<Call> calls;
};

// Lua side of rule{} and meta{}: copies the table's fields and returns. No
// C++ object is alive across a Lua call that could raise (longjmp).
int CollectCall(lua_State* L) {
  auto* collector = static_cast<Collector*>(lua_touserdata(L, lua_upvalueindex(1)));
  const bool is_meta = lua_toboolean(L, lua_upvalueindex(2));
  if (lua_type(L, 1) != LUA_TTABLE) {
    return luaL_error(L, is_meta ? "meta expects a table: meta { name = ..., expression = ... }"
                                 : "rule expects a table: rule { name = ..., target = ..., "
                                   "pattern = ... }");
  }
  lua_Debug where;
  int line = 0;
  if (lua_getstack(L, 1, &where) && lua_getinfo(L, "l", &where)) line = where.currentline;
  collector->calls.emplace_back();
  Call& call = collector->calls.back();
  call.is_meta = is_meta;
  call.line = line;
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      call.field_errors.push_back("keys must be names (key = value)");
    } else {
      size_t length = 0;
      const char* key_text = lua_tolstring(L, -2, &length);
      std::string key(key_text, length);
      switch (lua_type(L, -1)) {
        case LUA_TSTRING: {
          const char* text = lua_tolstring(L, -1, &length);
          call.fields[key] = std::string(text, length);
          break;
        }
        case LUA_TNUMBER: call.fields[key] = static_cast<double>(lua_tonumber(L, -1)); break;
        case LUA_TBOOLEAN: call.fields[key] = static_cast<bool>(lua_toboolean(L, -1)); break;
        default: call.field_errors.push_back("'" + key + "' must be a string, number or boolean");
      }
    }
    lua_pop(L, 1);
  }
  return 0;
}

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Typed access to one call's fields; unknown keys reported at the end.
class Fields {
 public:
  Fields(const Call& call, std::string file, std::vector<std::string>* errors)
      : call_(call), file_(std::move(file)), errors_(errors) {
    auto it = call.fields.find("name");
    if (it != call.fields.end() && std::holds_alternative<std::string>(it->second)) {
      name_ = std::get<std::string>(it->second);
    }
    for (const std::string& error : call.field_errors) Error(error);
  }

  void Error(const std::string& message) {
    errors_->push_back(RuleError(file_, call_.line, name_, message));
    failed_ = true;
  }
  bool failed() const { return failed_; }
  const std::string& name() const { return name_; }

  std::optional<std::string> String(const std::string& key, bool required) {
    used_.insert(key);
    auto it = call_.fields.find(key);
    if (it == call_.fields.end()) {
      if (required) Error("'" + key + "' is required");
      return std::nullopt;
    }
    if (!std::holds_alternative<std::string>(it->second)) {
      Error("'" + key + "' must be a string");
      return std::nullopt;
    }
    return std::get<std::string>(it->second);
  }
  double Number(const std::string& key, double fallback) {
    used_.insert(key);
    auto it = call_.fields.find(key);
    if (it == call_.fields.end()) return fallback;
    if (!std::holds_alternative<double>(it->second)) {
      Error("'" + key + "' must be a number");
      return fallback;
    }
    return std::get<double>(it->second);
  }
  bool Boolean(const std::string& key, bool fallback) {
    used_.insert(key);
    auto it = call_.fields.find(key);
    if (it == call_.fields.end()) return fallback;
    if (!std::holds_alternative<bool>(it->second)) {
      Error("'" + key + "' must be true or false");
      return fallback;
    }
    return std::get<bool>(it->second);
  }
  void ReportUnknown() {
    for (const auto& [key, value] : call_.fields) {
      if (!used_.count(key)) Error("unknown key '" + key + "'");
    }
  }

 private:
  const Call& call_;
  std::string file_;
  std::vector<std::string>* errors_;
  std::string name_;
  std::set<std::string> used_;
  bool failed_ = false;
};

// Fields rules and metas share: name, score, description, action, reply, enabled.
template <typename T>
void ReadCommon(Fields& fields, T* out) {
  out->name = fields.String("name", true).value_or("");
  if (!out->name.empty() && !ValidName(out->name)) {
    fields.Error("name must be 1-" + std::to_string(kMaxNameLength) +
                 " characters of A-Z, 0-9 and _");
  }
  out->score = fields.Number("score", 0);
  if (!std::isfinite(out->score) || std::fabs(out->score) > kMaxAbsScore) {
    fields.Error("score must be between -1000 and 1000");
  }
  out->description = fields.String("description", false).value_or("");
  out->enabled = fields.Boolean("enabled", true);
  if (auto action = fields.String("action", false)) {
    if (*action == "reject")
      out->action = Action::kReject;
    else if (*action == "quarantine")
      out->action = Action::kQuarantine;
    else if (*action == "tempfail")
      out->action = Action::kTempfail;
    else
      fields.Error("action must be \"reject\", \"quarantine\" or \"tempfail\"");
  }
  if (auto reply = fields.String("reply", false)) {
    out->reply = *reply;
    if (!out->action) fields.Error("'reply' needs an 'action'");
    if (reply->find_first_of("\r\n") != std::string::npos) {
      fields.Error("'reply' must be one line");
    }
  }
}

void ReadRule(const Call& call, const std::string& file, std::vector<std::string>* errors,
              ParsedRules* out) {
  Fields fields(call, file, errors);
  Rule rule;
  rule.file = file;
  rule.line = call.line;
  ReadCommon(fields, &rule);
  if (auto target = fields.String("target", true)) {
    auto parsed = ParseTarget(*target, &rule.header);
    if (!parsed) {
      fields.Error("unknown target '" + *target +
                   "' (want header:NAME, headers, raw_headers, text, raw_body, url, "
                   "attachment_name or attachment_type)");
    } else {
      rule.target = *parsed;
    }
  }
  rule.pattern = fields.String("pattern", true).value_or("");
  if (fields.String("pattern", false) && rule.pattern.empty()) {
    fields.Error("'pattern' is empty");
  }
  rule.flags = fields.String("flags", false).value_or("");
  std::set<char> seen;
  for (char flag : rule.flags) {
    if (std::string_view("ismu").find(flag) == std::string_view::npos) {
      fields.Error(std::string("unknown flag '") + flag + "' (want i, s, m, u)");
    } else if (!seen.insert(flag).second) {
      fields.Error(std::string("flag '") + flag + "' given twice");
    } else if (flag == 'u' && !IsDecodedTarget(rule.target)) {
      fields.Error("flag 'u' needs a decoded target (raw targets are bytes)");
    }
  }
  rule.whole = fields.Boolean("whole", false);
  fields.ReportUnknown();
  if (!fields.failed()) out->rules.push_back(std::move(rule));
}

void ReadMeta(const Call& call, const std::string& file, std::vector<std::string>* errors,
              ParsedRules* out) {
  Fields fields(call, file, errors);
  Meta meta;
  meta.file = file;
  meta.line = call.line;
  ReadCommon(fields, &meta);
  if (auto expression = fields.String("expression", true)) {
    meta.expression = *expression;
    std::string error;
    auto parsed = MetaExpression::Parse(*expression, &error);
    if (!parsed) {
      fields.Error("bad expression: " + error);
    } else {
      meta.references = parsed->names();
    }
  }
  fields.ReportUnknown();
  if (!fields.failed()) out->metas.push_back(std::move(meta));
}

void ParseOne(LuaSandbox& sandbox, const RuleSource& source, std::vector<std::string>* errors,
              ParsedRules* out) {
  lua_State* L = sandbox.state();
  Collector collector;
  collector.file = source.file;
  std::string chunk_name = "@" + source.file;
  if (luaL_loadbufferx(L, source.text.data(), source.text.size(), chunk_name.c_str(), "t") !=
      LUA_OK) {
    errors->push_back(lua_tostring(L, -1));
    lua_pop(L, 1);
    return;
  }
  // _ENV: rule and meta, falling back to the sandbox (string, math, ...).
  lua_newtable(L);
  lua_pushlightuserdata(L, &collector);
  lua_pushboolean(L, 0);
  lua_pushcclosure(L, CollectCall, 2);
  lua_setfield(L, -2, "rule");
  lua_pushlightuserdata(L, &collector);
  lua_pushboolean(L, 1);
  lua_pushcclosure(L, CollectCall, 2);
  lua_setfield(L, -2, "meta");
  lua_newtable(L);
  sandbox.PushEnvironment();
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setupvalue(L, -2, 1);
  if (sandbox.Call(0, 0) != LUA_OK) {
    std::string message = sandbox.LastError();
    if (sandbox.last_failure() != LuaSandbox::Failure::kError) {
      message = source.file + ": " + message;
    }
    errors->push_back(message);
    return;
  }
  for (const Call& call : collector.calls) {
    if (call.is_meta) {
      ReadMeta(call, source.file, errors, out);
    } else {
      ReadRule(call, source.file, errors, out);
    }
  }
}

}  // namespace

std::string_view TargetName(Target target) {
  switch (target) {
    case Target::kHeader: return "header";
    case Target::kHeaders: return "headers";
    case Target::kRawHeaders: return "raw_headers";
    case Target::kText: return "text";
    case Target::kRawBody: return "raw_body";
    case Target::kUrl: return "url";
    case Target::kAttachmentName: return "attachment_name";
    case Target::kAttachmentType: return "attachment_type";
  }
  return "?";
}

std::optional<Target> ParseTarget(std::string_view text, std::string* header) {
  header->clear();
  if (text.substr(0, 7) == "header:") {
    std::string_view name = text.substr(7);
    // RFC 5322 2.2: a field name is printable US-ASCII except colon.
    if (name.empty()) return std::nullopt;
    for (char c : name) {
      if (c <= 32 || c >= 127 || c == ':') return std::nullopt;
      *header += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return Target::kHeader;
  }
  static const std::pair<std::string_view, Target> kNames[] = {
      {"headers", Target::kHeaders},
      {"raw_headers", Target::kRawHeaders},
      {"text", Target::kText},
      {"raw_body", Target::kRawBody},
      {"url", Target::kUrl},
      {"attachment_name", Target::kAttachmentName},
      {"attachment_type", Target::kAttachmentType}};
  for (const auto& [name, target] : kNames) {
    if (text == name) return target;
  }
  return std::nullopt;
}

bool IsDecodedTarget(Target target) {
  return target != Target::kRawHeaders && target != Target::kRawBody;
}

std::string RuleError(const std::string& file, int line, const std::string& name,
                      const std::string& message) {
  std::string out = file + ":" + std::to_string(line) + ": ";
  if (!name.empty()) out += "rule " + name + ": ";
  return out + message;
}

ParsedRules ParseRuleFiles(const std::vector<RuleSource>& sources,
                           std::vector<std::string>* errors) {
  ParsedRules parsed;
  LuaSandboxOptions options;
  options.instruction_limit = kRuleFileInstructionLimit;
  options.memory_limit_bytes = kRuleFileMemoryLimit;
  LuaSandbox sandbox(options);
  for (const RuleSource& source : sources) ParseOne(sandbox, source, errors, &parsed);
  CheckReferences(&parsed, errors);
  return parsed;
}

}  // namespace portcullis::content
