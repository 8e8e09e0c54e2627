// Rule file names: glob expansion, and the rules a config file names (for
// `portcullis rules lint -c`).
#include <glob.h>

#include <filesystem>

#include "config/lua_config_loader.h"
#include "portcullis/content/rule_set.h"

namespace portcullis::content {

bool ExpandRuleGlob(const std::string& base_dir, const std::string& pattern,
                    std::vector<std::string>* files, std::string* error) {
  std::string full = pattern;
  if (!full.empty() && full[0] != '/') full = base_dir + "/" + full;
  bool wildcard = pattern.find_first_of("*?[") != std::string::npos;
  if (!wildcard) {
    std::error_code code;
    if (!std::filesystem::is_regular_file(full, code)) {
      *error = "rule file " + full + " does not exist";
      return false;
    }
    files->push_back(full);
    return true;
  }
  glob_t matches{};
  // No GLOB_ERR: an unreadable or missing directory simply matches nothing.
  int status = ::glob(full.c_str(), 0, nullptr, &matches);
  if (status == GLOB_NOMATCH || (status == 0 && matches.gl_pathc == 0)) {
    globfree(&matches);
    *error = "no rule file matches " + full;
    return false;
  }
  if (status != 0) {
    globfree(&matches);
    *error = "cannot expand " + full;
    return false;
  }
  // glob(3) sorts, so files load in a stable order.
  for (size_t i = 0; i < matches.gl_pathc; ++i) files->push_back(matches.gl_pathv[i]);
  globfree(&matches);
  return true;
}

std::optional<ConfiguredRules> ReadConfiguredRules(const std::string& config_file,
                                                   std::vector<std::string>* errors) {
  std::string source;
  std::string error;
  if (!ReadTextFile(config_file, &source, &error)) {
    errors->push_back(error);
    return std::nullopt;
  }
  ConfigErrors config_errors;
  LoadedConfig loaded = LoadLuaConfig(config_file, source, &config_errors);
  if (!config_errors.empty()) {
    for (const std::string& message : config_errors.all()) errors->push_back(message);
    return std::nullopt;
  }
  ConfiguredRules out;
  auto checks = loaded.root.fields.find("checks");
  if (checks == loaded.root.fields.end()) return out;
  auto content = checks->second.fields.find("content");
  if (content == checks->second.fields.end()) return out;
  const ConfigValue& section = content->second;
  auto builtin = section.fields.find("builtin_rules");
  if (builtin != section.fields.end() && builtin->second.type == ConfigValue::Type::kBoolean) {
    out.builtin_rules = builtin->second.boolean;
  }
  auto rules = section.fields.find("rules");
  if (rules == section.fields.end()) return out;
  std::vector<const ConfigValue*> patterns;
  if (rules->second.type == ConfigValue::Type::kString) {
    patterns.push_back(&rules->second);
  } else {
    for (const ConfigValue& item : rules->second.items) patterns.push_back(&item);
  }
  for (const ConfigValue* pattern : patterns) {
    if (pattern->type != ConfigValue::Type::kString) {
      errors->push_back(config_file + ":" + std::to_string(pattern->line) +
                        ": checks.content.rules: want strings");
      continue;
    }
    if (!ExpandRuleGlob(loaded.dir, pattern->string, &out.files, &error)) {
      errors->push_back(config_file + ":" + std::to_string(pattern->line) + ": " + error);
    }
  }
  if (!errors->empty()) return std::nullopt;
  return out;
}

}  // namespace portcullis::content
