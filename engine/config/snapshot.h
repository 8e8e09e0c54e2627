// A Snapshot is one loaded configuration: engine settings, the built checks
// and the policy. Immutable once built and shared (shared_ptr<const>) by every
// transaction that started under it; a reload builds a new one beside it and
// swaps it in, and the old one lives until its last transaction ends.
//
// BuildSnapshot may be called from any thread (it touches no global state
// except the metrics registry, which is thread-safe). SnapshotHolder is
// thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/engine_config.h"
#include "lua/policy_runner.h"
#include "metrics/engine_metrics.h"
#include "portcullis/check.h"
#include "portcullis/public_suffix.h"
#include "portcullis/store.h"

namespace portcullis {

struct EnabledCheck {
  std::string name;
  std::unique_ptr<Check> check;
  StageMask stages = 0;
  EngineMetrics::CheckSeries metrics;
};

struct Snapshot {
  EngineConfig config;
  // Declared before the checks so that it outlives them: they hold its
  // address (CheckContext::resolver) and may have lookups outstanding.
  std::shared_ptr<dns::Resolver> resolver;
  // Likewise (CheckContext::store). Null in offline snapshots and when no
  // enabled check keeps state.
  std::shared_ptr<store::Store> store;
  std::vector<EnabledCheck> checks;
  // For the MIME parse's registered domains; null when no check asks for
  // kStageMime or the list could not be read.
  std::shared_ptr<const PublicSuffixList> public_suffixes;
  std::unique_ptr<PolicyRunner> policy;
  StageMask stages = 0;  // union over the enabled checks
  uint64_t generation = 0;
};

// What the command line overrides in the file's settings.
struct SnapshotOverrides {
  std::vector<std::string> dns_servers;  // `--dns HOST:PORT`, replaces dns.servers
  bool offline = false;                  // CheckContext::offline for every check
};

// Builds from `file`, or from the embedded examples/portcullis.lua when
// `file` is empty. Returns nullptr with every problem in `errors`.
std::shared_ptr<const Snapshot> BuildSnapshot(const std::string& file, ConfigErrors* errors,
                                              const SnapshotOverrides& overrides = {});

class SnapshotHolder {
 public:
  std::shared_ptr<const Snapshot> Get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return current_;
  }
  void Set(std::shared_ptr<const Snapshot> snapshot) {
    std::lock_guard<std::mutex> lock(mutex_);
    current_ = std::move(snapshot);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> current_;
};

}  // namespace portcullis
