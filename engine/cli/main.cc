// portcullis: the command-line entry point; dispatches to the subcommands.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli_args.h"
#include "portcullis/command_registry.h"

namespace {

const char kUsage[] =
    "usage: portcullis COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  serve          run the milter daemon (-c FILE; built-in defaults without)\n"
    "  check-config   validate a config, its rules and its Lua policy (-c FILE)\n"
    "  scan           run the pipeline offline on a stored message (FILE.eml)\n"
    "  reload         ask the running daemon to reload its config (SIGUSR1)\n";

const char kUsageTail[] =
    "\n"
    "  portcullis COMMAND --help   options of one command\n"
    "  portcullis --version\n";

// The engine's commands, then those the checks registered, then the tail.
void PrintUsage(FILE* out) {
  std::fputs(kUsage, out);
  for (const std::string& name : portcullis::RegisteredCommandNames()) {
    std::fprintf(out, "  %-14s %s\n", name.c_str(),
                 portcullis::FindCommand(name)->summary.c_str());
  }
  std::fputs(kUsageTail, out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    PrintUsage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string command = argv[1];
  if (command == "--version" || command == "version") {
    std::printf("portcullis %s\n", PORTCULLIS_VERSION);
    return 0;
  }
  int sub_argc = argc - 1;
  char** sub_argv = argv + 1;
  if (command == "serve") return portcullis::ServeCommand(sub_argc, sub_argv);
  if (command == "check-config") return portcullis::CheckConfigCommand(sub_argc, sub_argv);
  if (command == "scan") return portcullis::ScanCommand(sub_argc, sub_argv);
  if (command == "reload") return portcullis::ReloadCommand(sub_argc, sub_argv);
  if (const portcullis::Command* registered = portcullis::FindCommand(command)) {
    return registered->run(std::vector<std::string>(argv + 2, argv + argc));
  }
  std::fprintf(stderr, "portcullis: unknown command '%s'\n\n", command.c_str());
  PrintUsage(stderr);
  return 2;
}
