// portcullis: the command-line entry point; dispatches to the subcommands.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli_args.h"

namespace {

const char kUsage[] =
    "usage: portcullis COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  serve          run the milter daemon (-c FILE; built-in defaults without)\n"
    "  check-config   validate a config, its rules and its Lua policy (-c FILE)\n"
    "  scan           run the pipeline offline on a stored message (FILE.eml)\n"
    "  reload         ask the running daemon to reload its config (SIGUSR1)\n"
    "\n"
    "  portcullis COMMAND --help   options of one command\n"
    "  portcullis --version\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
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
  std::fprintf(stderr, "portcullis: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}
