#include "cli_args.h"

#include <algorithm>

namespace portcullis {

CliArgs::CliArgs(int argc, char** argv, const std::vector<std::string>& with_value) {
  auto takes_value = [&](const std::string& name) {
    return std::find(with_value.begin(), with_value.end(), name) != with_value.end();
  };
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    std::string value;
    bool has_inline = false;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_inline = true;
    }
    if (takes_value(arg)) {
      if (!has_inline) {
        if (i + 1 >= argc) {
          error_ = "option " + arg + " needs a value";
          return;
        }
        value = argv[++i];
      }
      values_[arg].push_back(value);
    } else if (arg == "-h" || arg == "--help" || arg == "--json" || arg == "--version" ||
               arg == "--check-only") {
      flags_.push_back(arg);
    } else {
      error_ = "unknown option " + arg;
      return;
    }
  }
}

bool CliArgs::Flag(const std::string& name) const {
  return std::find(flags_.begin(), flags_.end(), name) != flags_.end();
}

std::string CliArgs::Value(const std::string& name, const std::string& default_value) const {
  auto it = values_.find(name);
  return it == values_.end() ? default_value : it->second.back();
}

std::vector<std::string> CliArgs::Values(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace portcullis
