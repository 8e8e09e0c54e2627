// Registration of extra `portcullis` subcommands by name, so a plugin can
// ship its own command-line tool (`portcullis spf ...`) without the engine
// naming it. Works like check_registry.h: registered from static
// initialisers before main(), read-only afterwards.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace portcullis {

struct Command {
  std::string summary;  // one line for `portcullis --help`
  // `args` excludes the program and the command name. Returns the exit code:
  // 0 success, 1 runtime failure, 2 bad usage (with a message on stderr).
  std::function<int(const std::vector<std::string>& args)> run;
};

bool RegisterCommand(const std::string& name, Command command);
const Command* FindCommand(const std::string& name);
std::vector<std::string> RegisteredCommandNames();

}  // namespace portcullis

#define PORTCULLIS_REGISTER_COMMAND(name, ...)                  \
  static const bool portcullis_registered_command_##name =      \
      ::portcullis::RegisterCommand(#name, ::portcullis::Command{__VA_ARGS__})
