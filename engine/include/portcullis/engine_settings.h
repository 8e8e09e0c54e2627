// The engine's own settings of a config file, for plugin commands that need
// them without building checks (`portcullis dmarc-report -c FILE` reads the
// state directory). Uses the real config loader, so what a command sees is
// what the daemon would use.
//
// Thread-safe; loads the file on every call.
#pragma once

#include <memory>
#include <string>

#include "portcullis/store.h"
#include "portcullis/store_options.h"

namespace portcullis {

struct EngineSettings {
  std::string state_dir;
  store::StoreOptions store;
};

// Loads `file` ("" = the built-in defaults). Returns false with every problem
// as "file:line: message" lines in `error`.
bool LoadEngineSettings(const std::string& file, EngineSettings* settings, std::string* error);

// Opens the state store `settings` name, for a command (`portcullis greylist
// ...`) that works on the same state as the daemon: an LMDB store may be open
// in a running daemon at the same time (LMDB is safe for several processes).
// Returns nullptr with `error` set when it cannot be opened.
std::shared_ptr<store::Store> OpenStateStore(const EngineSettings& settings, std::string* error);

}  // namespace portcullis
