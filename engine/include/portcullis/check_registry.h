// Registration of checks by name. The engine never names a check: each plugin
// registers a factory under its config name from a static initialiser, and
// the config enables checks by that name.
//
// Registration happens before main() (single-threaded); lookups afterwards
// are read-only and thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "portcullis/check.h"
#include "portcullis/config_value.h"
#include "portcullis/dns.h"
#include "portcullis/store.h"

namespace prometheus {
class Registry;
}

namespace portcullis {

// What a factory gets besides its own options.
struct CheckContext {
  std::string config_dir;  // for resolving relative file names
  std::string state_dir;
  prometheus::Registry* metrics = nullptr;  // never null in the daemon
  // The process's resolver; never null in the daemon or `portcullis scan`.
  // Outlives the check.
  dns::Resolver* resolver = nullptr;
  // True in offline commands (`portcullis scan`, `check-config`): a check
  // must not record state there (DMARC report data, greylisting triplets).
  bool offline = false;
  // The process's state store (LMDB or Redis, per the `store` section), for
  // checks registered with PORTCULLIS_REGISTER_STATEFUL_CHECK; never null
  // for them in the daemon, null in offline commands. Outlives the check.
  store::Store* store = nullptr;
};

// Reads its options from `options` (errors go there, with file:line) and
// returns the check, or nullptr when the options are unusable.
using CheckFactory = std::function<std::unique_ptr<Check>(
    ConfigReader& options, const CheckContext& context)>;

bool RegisterCheck(const std::string& name, CheckFactory factory);
// For checks that keep state between messages (CheckContext::store): the
// engine opens the state store only when one of them is enabled.
bool RegisterStatefulCheck(const std::string& name, CheckFactory factory);
bool CheckNeedsStore(const std::string& name);
const CheckFactory* FindCheckFactory(const std::string& name);
std::vector<std::string> RegisteredCheckNames();

}  // namespace portcullis

// One line per plugin, at namespace scope in its registration file.
#define PORTCULLIS_REGISTER_CHECK(name, factory)                 \
  static const bool portcullis_registered_check_##name =         \
      ::portcullis::RegisterCheck(#name, factory)
#define PORTCULLIS_REGISTER_STATEFUL_CHECK(name, factory)        \
  static const bool portcullis_registered_check_##name =         \
      ::portcullis::RegisterStatefulCheck(#name, factory)
