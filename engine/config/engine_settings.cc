#include "portcullis/engine_settings.h"

#include "config/engine_config.h"
#include "config/lua_config_loader.h"

extern const char kEmbeddedConfigLua[];

namespace portcullis {

bool LoadEngineSettings(const std::string& file, EngineSettings* settings, std::string* error) {
  std::string source = kEmbeddedConfigLua;
  std::string name = file.empty() ? "portcullis.lua (built in)" : file;
  if (!file.empty() && !ReadTextFile(file, &source, error)) {
    *error = file + ":0: " + *error;
    return false;
  }
  ConfigErrors errors;
  LoadedConfig loaded = LoadLuaConfig(name, source, &errors);
  if (errors.empty()) {
    EngineConfig config = ReadEngineConfig(loaded.root, loaded.file, loaded.dir, &errors);
    settings->state_dir = config.state_dir;
  }
  if (errors.empty()) return true;
  error->clear();
  for (const std::string& line : errors.all()) *error += (error->empty() ? "" : "\n") + line;
  return false;
}

}  // namespace portcullis
