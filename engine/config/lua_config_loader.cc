#include "config/lua_config_loader.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "lua/lua_sandbox.h"

extern "C" {
#include <lauxlib.h>
#include <lua.h>
}

namespace portcullis {
namespace {

// Config tables nest a few levels; anything deeper is a mistake or a cycle.
constexpr int kMaxConfigDepth = 16;

class LineFinder {
 public:
  explicit LineFinder(const std::string& source) {
    std::istringstream in(source);
    for (std::string line; std::getline(in, line);) lines_.push_back(line);
  }

  // First line at or after `from` that assigns `key` ("key =" or '["key"] =').
  int FindKey(const std::string& key, int from) const {
    const std::string plain = key;
    for (int i = std::max(from, 1); i <= static_cast<int>(lines_.size()); ++i) {
      const std::string& text = lines_[i - 1];
      if (AssignsKey(text, plain)) return i;
    }
    return from;
  }

  // First line at or after `from` containing the quoted string `value`.
  int FindString(const std::string& value, int from) const {
    for (int i = std::max(from, 1); i <= static_cast<int>(lines_.size()); ++i) {
      const std::string& text = lines_[i - 1];
      if (text.find('"' + value + '"') != std::string::npos ||
          text.find('\'' + value + '\'') != std::string::npos) {
        return i;
      }
    }
    return from;
  }

 private:
  static bool IsNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
  }

  static bool AssignsKey(const std::string& text, const std::string& key) {
    // Ignore what follows a comment marker; config keys are never in strings
    // before one on the same line in any realistic file.
    std::string code = text.substr(0, text.find("--"));
    for (size_t pos = code.find(key); pos != std::string::npos;
         pos = code.find(key, pos + 1)) {
      size_t end = pos + key.size();
      bool quoted = pos >= 2 && code.compare(pos - 2, 2, "[\"") == 0 &&
                    code.compare(end, 2, "\"]") == 0;
      if (quoted) end += 2;
      if (!quoted && ((pos > 0 && IsNameChar(code[pos - 1])) ||
                      (end < code.size() && IsNameChar(code[end])))) {
        continue;
      }
      size_t next = code.find_first_not_of(" \t", end);
      if (next != std::string::npos && code[next] == '=' &&
          (next + 1 >= code.size() || code[next + 1] != '=')) {
        return true;
      }
    }
    return false;
  }

  std::vector<std::string> lines_;
};

void Convert(lua_State* L, int index, int line, const LineFinder& lines, int depth,
             const std::string& file, ConfigErrors* errors, ConfigValue* out) {
  out->line = line;
  switch (lua_type(L, index)) {
    case LUA_TBOOLEAN:
      out->type = ConfigValue::Type::kBoolean;
      out->boolean = lua_toboolean(L, index);
      return;
    case LUA_TNUMBER:
      out->type = ConfigValue::Type::kNumber;
      out->number = lua_tonumber(L, index);
      return;
    case LUA_TSTRING: {
      size_t length = 0;
      const char* text = lua_tolstring(L, index, &length);
      out->type = ConfigValue::Type::kString;
      out->string.assign(text, length);
      return;
    }
    case LUA_TTABLE:
      break;
    default:
      errors->Add(file, line,
                  std::string("unsupported value of type ") + luaL_typename(L, index));
      return;
  }
  out->type = ConfigValue::Type::kTable;
  if (depth > kMaxConfigDepth) {
    errors->Add(file, line, "tables nested too deeply (cycle?)");
    return;
  }
  index = lua_absindex(L, index);
  lua_Integer length = static_cast<lua_Integer>(lua_rawlen(L, index));
  for (lua_Integer i = 1; i <= length; ++i) {
    lua_rawgeti(L, index, i);
    ConfigValue item;
    int item_line = lua_type(L, -1) == LUA_TSTRING
                        ? lines.FindString(lua_tostring(L, -1), line)
                        : line;
    Convert(L, -1, item_line, lines, depth + 1, file, errors, &item);
    out->items.push_back(std::move(item));
    lua_pop(L, 1);
  }
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      std::string key = lua_tostring(L, -2);
      ConfigValue& field = out->fields[key];
      Convert(L, -1, lines.FindKey(key, line), lines, depth + 1, file, errors, &field);
    } else if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 ||
               lua_tointeger(L, -2) > length) {
      errors->Add(file, line, "table keys must be names or list positions");
    }
    lua_pop(L, 1);
  }
}

}  // namespace

bool ReadTextFile(const std::string& path, std::string* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open " + path;
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

LoadedConfig LoadLuaConfig(const std::string& file, const std::string& source,
                           ConfigErrors* errors) {
  LoadedConfig config;
  config.file = file;
  auto slash = file.rfind('/');
  config.dir = slash == std::string::npos ? "." : file.substr(0, slash);
  config.root.type = ConfigValue::Type::kTable;
  config.root.line = 1;

  LuaSandboxOptions options;
  options.allow_getenv = true;  // configs commonly read $HOSTNAME and the like
  LuaSandbox sandbox(options);
  lua_State* L = sandbox.state();
  std::string chunk_name = "@" + file;
  if (luaL_loadbufferx(L, source.data(), source.size(), chunk_name.c_str(), "t") != LUA_OK) {
    errors->AddFormatted(lua_tostring(L, -1));
    return config;
  }
  // The chunk's _ENV is a fresh table whose only parent is the sandbox, so
  // what the file assigns lands in that table and nowhere else.
  lua_newtable(L);
  lua_newtable(L);
  sandbox.PushEnvironment();
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setupvalue(L, -3, 1);  // stack: chunk, env
  lua_insert(L, -2);         // stack: env, chunk
  int env_index = lua_gettop(L) - 1;
  if (sandbox.Call(0, 0) != LUA_OK) {
    // Lua's message already starts with "file:line:".
    errors->AddFormatted(sandbox.LastError());
    return config;
  }
  LineFinder lines(source);
  lua_pushnil(L);
  while (lua_next(L, env_index) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) != LUA_TFUNCTION) {
      std::string key = lua_tostring(L, -2);
      Convert(L, -1, lines.FindKey(key, 1), lines, 1, file, errors, &config.root.fields[key]);
    }
    lua_pop(L, 1);
  }
  return config;
}

}  // namespace portcullis
