#include "portcullis/command_registry.h"

#include <map>

namespace portcullis {
namespace {

// Function-local for the same reason as the check registry: static
// initialisers in other translation units register into it.
std::map<std::string, Command>& Commands() {
  static std::map<std::string, Command> commands;
  return commands;
}

}  // namespace

bool RegisterCommand(const std::string& name, Command command) {
  Commands()[name] = std::move(command);
  return true;
}

const Command* FindCommand(const std::string& name) {
  auto it = Commands().find(name);
  return it == Commands().end() ? nullptr : &it->second;
}

std::vector<std::string> RegisteredCommandNames() {
  std::vector<std::string> names;
  for (const auto& [name, command] : Commands()) names.push_back(name);
  return names;
}

}  // namespace portcullis
