#include "config/snapshot.h"

#include <atomic>

#include "config/check_order.h"
#include "config/lua_config_loader.h"
#include "dns/shared_resolver.h"
#include "metrics/engine_metrics.h"
#include "portcullis/check_registry.h"
#include "portcullis/log.h"
#include "portcullis/public_suffix.h"
#include "store/shared_store.h"

extern const char kEmbeddedConfigLua[];

namespace portcullis {

std::shared_ptr<const Snapshot> BuildSnapshot(const std::string& file, ConfigErrors* errors,
                                              const SnapshotOverrides& overrides) {
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
  if (!overrides.dns_servers.empty()) snapshot->config.dns.servers = overrides.dns_servers;
  if (errors->empty()) {
    std::string dns_error;
    snapshot->resolver = dns::AcquireSharedResolver(
        snapshot->config.dns, &EngineMetrics::Get().registry(), &dns_error);
    if (!snapshot->resolver) {
      auto dns = loaded.root.fields.find("dns");
      errors->Add(loaded.file, dns == loaded.root.fields.end() ? 0 : dns->second.line,
                  "dns: " + dns_error);
    }
  }
  // The state store is opened only for a daemon snapshot with a check that
  // keeps state: an offline command never touches state, and an LMDB file
  // or Redis connection nobody uses is a cost and a failure point. A store
  // that cannot be opened refuses the config.
  bool needs_store = false;
  for (const auto& [check_name, options] : snapshot->config.checks) {
    needs_store = needs_store || CheckNeedsStore(check_name);
  }
  if (errors->empty() && !overrides.offline && needs_store) {
    std::string store_error;
    snapshot->store = store::AcquireSharedStore(snapshot->config.store,
                                                snapshot->config.state_dir,
                                                &EngineMetrics::Get().registry(), &store_error);
    if (!snapshot->store) {
      auto section = loaded.root.fields.find("store");
      errors->Add(loaded.file, section == loaded.root.fields.end() ? 0 : section->second.line,
                  "store: " + store_error);
    }
  }
  CheckContext context;
  context.config_dir = loaded.dir;
  context.state_dir = snapshot->config.state_dir;
  context.metrics = &EngineMetrics::Get().registry();
  context.resolver = snapshot->resolver.get();
  context.offline = overrides.offline;
  context.store = snapshot->store.get();
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
    snapshot->checks.push_back(
        {check_name, std::move(check), stages, EngineMetrics::Get().SeriesForCheck(check_name)});
  }
  if (snapshot->stages & kStageMime) {
    // The parser reads the whole message, whichever stages the checks named.
    snapshot->stages |= kStageHeader | kStageEndOfHeaders | kStageBody;
    std::string psl_error;
    snapshot->public_suffixes = SystemPublicSuffixList(&psl_error);
    if (!snapshot->public_suffixes) {
      // URLs are still extracted; only their registered domains stay empty.
      LogWarning("public suffix list unavailable, URL registered domains unknown: " + psl_error);
    }
  }
  if (std::string error = OrderChecksByDependencies(&snapshot->checks); !error.empty()) {
    errors->Add(loaded.file, 0, error);
  }
  snapshot->config.checks.clear();  // option tables die with `loaded`
  snapshot->policy = PolicyRunner::Create(snapshot->config.policy, errors);
  if (!errors->empty()) return nullptr;
  snapshot->generation = ++generations;
  return snapshot;
}

}  // namespace portcullis
