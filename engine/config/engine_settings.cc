#include "portcullis/engine_settings.h"

#include "config/engine_config.h"
#include "config/lua_config_loader.h"
#include "store/shared_store.h"

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
    settings->store = config.store;
  }
  if (errors.empty()) return true;
  error->clear();
  for (const std::string& line : errors.all()) *error += (error->empty() ? "" : "\n") + line;
  return false;
}

std::shared_ptr<store::Store> OpenStateStore(const EngineSettings& settings, std::string* error) {
  // Shared, not made afresh: a command run inside a process that already
  // has the store open (tests) must not open the LMDB file twice.
  return store::AcquireSharedStore(settings.store, settings.state_dir, nullptr, error);
}

}  // namespace portcullis
