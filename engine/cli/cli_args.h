// A small argument reader shared by the subcommands: "--name value",
// "--name=value", "-c value", repeated options and positional arguments.
//
// Single-threaded; one per command invocation.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace portcullis {

struct Snapshot;

class CliArgs {
 public:
  // `with_value` lists the options that take a value ("-c", "--ip", ...);
  // anything else starting with '-' is a flag.
  CliArgs(int argc, char** argv, const std::vector<std::string>& with_value);

  bool Flag(const std::string& name) const;
  std::string Value(const std::string& name, const std::string& default_value = "") const;
  std::vector<std::string> Values(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  // Unknown or incomplete options; empty when the command line was fine.
  const std::string& error() const { return error_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> flags_;
  std::vector<std::string> positional_;
  std::string error_;
};

// The shared opening of every subcommand: prints `help` for --help (exit
// 0), or the usage error and `help` to stderr (exit 2). Returns -1 when the
// command should go on. `positional` is how many positional arguments the
// command takes (-1: any number).
int HandleHelpAndUsage(const CliArgs& args, const char* command, const char* help,
                       int positional);

// Builds the Snapshot from -c/--config (built-in defaults without), as the
// daemon does; on failure prints every error as file:line and returns null.
// `offline`: for commands that do not serve mail (checks record no state).
std::shared_ptr<const Snapshot> LoadSnapshotOrReport(const CliArgs& args, bool offline);

// Subcommands: argv[0] is the subcommand name. Each returns the exit code.
int ServeCommand(int argc, char** argv);
int CheckConfigCommand(int argc, char** argv);
int ScanCommand(int argc, char** argv);
int ReloadCommand(int argc, char** argv);

}  // namespace portcullis
