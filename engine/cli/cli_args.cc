#include "cli_args.h"

#include <algorithm>
#include <cstdio>

#include "config/snapshot.h"

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

int HandleHelpAndUsage(const CliArgs& args, const char* command, const char* help,
                       int positional) {
  if (args.Flag("--help") || args.Flag("-h")) {
    std::fputs(help, stdout);
    return 0;
  }
  std::string error = args.error();
  if (error.empty() && positional >= 0 &&
      static_cast<int>(args.positional().size()) != positional) {
    error = positional == 0 ? "unexpected argument " + args.positional().front()
                            : "expected " + std::to_string(positional) + " file argument(s)";
  }
  if (error.empty()) return -1;
  std::fprintf(stderr, "portcullis %s: %s\n%s", command, error.c_str(), help);
  return 2;
}

std::shared_ptr<const Snapshot> LoadSnapshotOrReport(const CliArgs& args, bool offline) {
  ConfigErrors errors;
  SnapshotOverrides overrides;
  overrides.dns_servers = args.Values("--dns");
  overrides.offline = offline;
  auto snapshot = BuildSnapshot(args.Value("-c", args.Value("--config")), &errors, overrides);
  if (!snapshot) {
    for (const std::string& line : errors.all()) std::fprintf(stderr, "%s\n", line.c_str());
  }
  return snapshot;
}

}  // namespace portcullis
