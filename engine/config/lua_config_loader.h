// Runs a Lua config file and turns the globals it sets into a ConfigValue
// tree, with the best-known source line for every key.
//
// The config is trusted operator code, but it still runs in a restricted
// environment (no io, no os.execute, no require of C modules) so that a
// config cannot do more than describe settings. Lua tables do not remember
// where their keys were written, so lines are recovered by searching the
// source text for the key below its parent's line; good enough to point an
// operator at the right place.
//
// Stateless free functions; safe to call from any thread.
#pragma once

#include <string>

#include "portcullis/config_value.h"

namespace portcullis {

struct LoadedConfig {
  std::string file;  // as given, used in messages
  std::string dir;   // directory of the file, for relative paths
  ConfigValue root;  // a table of the globals the file set
};

// Loads `source` (the file's text) under the name `file`. On a Lua syntax or
// runtime error, adds "file:line: message" to `errors`.
LoadedConfig LoadLuaConfig(const std::string& file, const std::string& source,
                           ConfigErrors* errors);

// Reads a file into `out`; false with an error in `errors` when it cannot.
bool ReadTextFile(const std::string& path, std::string* out, std::string* error);

}  // namespace portcullis
