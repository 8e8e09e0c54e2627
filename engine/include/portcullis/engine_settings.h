// The engine's own settings of a config file, for plugin commands that need
// them without building checks (`portcullis dmarc-report -c FILE` reads the
// state directory). Uses the real config loader, so what a command sees is
// what the daemon would use.
//
// Thread-safe; loads the file on every call.
#pragma once

#include <string>

namespace portcullis {

struct EngineSettings {
  std::string state_dir;
};

// Loads `file` ("" = the built-in defaults). Returns false with every problem
// as "file:line: message" lines in `error`.
bool LoadEngineSettings(const std::string& file, EngineSettings* settings, std::string* error);

}  // namespace portcullis
