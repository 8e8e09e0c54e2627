// `portcullis greylist`: look at and edit the greylisting state the daemon
// keeps in the state store (list, show, delete, allow, unallow). The store
// is opened the way the daemon opens it (LoadEngineSettings +
// OpenStateStore, engine_settings.h); LMDB allows the daemon to run at the
// same time.
//
// Called from main()'s command dispatch, once, single-threaded; tests call
// RunGreylistCommand with their own store opener, clock and streams.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "portcullis/store.h"

namespace portcullis::greylist {

struct GreylistCommandEnv {
  // Opens the state store named by config file `config` ("" = the built-in
  // defaults). Null with `error` set on failure; `config_error` is set when
  // the config itself is unusable (exit 2) rather than the store (exit 1).
  std::function<std::shared_ptr<store::Store>(const std::string& config, std::string* error,
                                              bool* config_error)>
      open;
  std::function<store::Clock::time_point()> now;
};

// Exit codes: 0 done, 1 not found or the store failed, 2 bad usage or
// config.
int RunGreylistCommand(const std::vector<std::string>& args, const GreylistCommandEnv& env,
                       FILE* out, FILE* err);

// The env of the real command: LoadEngineSettings + OpenStateStore and the
// system clock.
GreylistCommandEnv SystemGreylistCommandEnv();

}  // namespace portcullis::greylist
