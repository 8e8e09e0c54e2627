#include "portcullis/check_registry.h"

#include <map>
#include <set>

namespace portcullis {
namespace {

// Function-local so that registration from other translation units' static
// initialisers never sees an unconstructed map.
std::map<std::string, CheckFactory>& Factories() {
  static std::map<std::string, CheckFactory> factories;
  return factories;
}

std::set<std::string>& Stateful() {
  static std::set<std::string> names;
  return names;
}

}  // namespace

bool RegisterStatefulCheck(const std::string& name, CheckFactory factory) {
  Stateful().insert(name);
  return RegisterCheck(name, std::move(factory));
}

bool CheckNeedsStore(const std::string& name) { return Stateful().count(name) > 0; }

bool RegisterCheck(const std::string& name, CheckFactory factory) {
  Factories()[name] = std::move(factory);
  return true;
}

const CheckFactory* FindCheckFactory(const std::string& name) {
  auto it = Factories().find(name);
  return it == Factories().end() ? nullptr : &it->second;
}

std::vector<std::string> RegisteredCheckNames() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : Factories()) names.push_back(name);
  return names;
}

}  // namespace portcullis
