#include "config/snapshot.h"

#include <atomic>

#include "config/lua_config_loader.h"
#include "metrics/engine_metrics.h"
#include "portcullis/check_registry.h"

extern const char kEmbeddedConfigLua[];

namespace portcullis {

std::shared_ptr<const Snapshot> BuildSnapshot(const std::string& file, ConfigErrors* errors) {
  static std::atomic<uint64_t> generations{0};
  std::string source;
  std::string name = file;
  if (file.empty()) {
    source = kEmbeddedConfigLua;
    name = "portcullis.lua (built in)";
  } else {
    std::string error;
    if (!ReadTextFile(file, &source, &error)) {
      errors->AddFormatted(file + ":0: " + error);
      return nullptr;
    }
  }
  LoadedConfig loaded = LoadLuaConfig(name, source, errors);
  if (!errors->empty()) return nullptr;
  if (file.empty()) loaded.dir.assign(1, '.');

  auto snapshot = std::make_shared<Snapshot>();
  snapshot->config = ReadEngineConfig(loaded.root, loaded.file, loaded.dir, errors);
  CheckContext context;
  context.config_dir = loaded.dir;
  context.state_dir = snapshot->config.state_dir;
  context.metrics = &EngineMetrics::Get().registry();
  for (const auto& [check_name, options] : snapshot->config.checks) {
    std::unique_ptr<Check> check;
    {
      ConfigReader reader(options, "checks." + check_name, loaded.file, errors);
      reader.Boolean("enabled", true);  // consumed by ReadEngineConfig
      check = (*FindCheckFactory(check_name))(reader, context);
    }  // the reader reports unknown options here
    if (!check) {
      if (errors->empty()) errors->Add(loaded.file, options ? options->line : 0,
                                       "check '" + check_name + "' could not be built");
      continue;
    }
    StageMask stages = check->stages();
    snapshot->stages |= stages;
    snapshot->checks.push_back({check_name, std::move(check), stages});
  }
  snapshot->config.checks.clear();  // option tables die with `loaded`
  snapshot->policy = PolicyRunner::Create(snapshot->config.policy, errors);
  if (!errors->empty()) return nullptr;
  snapshot->generation = ++generations;
  return snapshot;
}

}  // namespace portcullis
