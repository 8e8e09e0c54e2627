// `portcullis reload`: signal the running daemon (SIGUSR1, found through its
// pid file) to rebuild its config Snapshot.
#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "cli_args.h"
#include "config/snapshot.h"

namespace portcullis {

int ReloadCommand(int argc, char** argv) {
  static const char kHelp[] =
      "usage: portcullis reload [-c FILE | --pid-file FILE | --pid PID]\n"
      "\n"
      "Sends SIGUSR1 to the daemon whose pid is in the config's pid_file\n"
      "(default <state_dir>/portcullis.pid). The daemon logs the outcome; a\n"
      "config with errors leaves the running one in place.\n";
  CliArgs args(argc, argv, {"-c", "--config", "--pid-file", "--pid"});
  if (int status = HandleHelpAndUsage(args, "reload", kHelp, 0); status >= 0) return status;
  long pid = 0;
  if (!args.Value("--pid").empty()) {
    pid = std::strtol(args.Value("--pid").c_str(), nullptr, 10);
  } else {
    std::string pid_file = args.Value("--pid-file");
    if (pid_file.empty()) {
      auto snapshot = LoadSnapshotOrReport(args, /*offline=*/true);
      if (!snapshot) {
        std::fprintf(stderr, "portcullis reload: the new config is invalid; not reloading\n");
        return 2;
      }
      pid_file = snapshot->config.pid_file;
    }
    std::ifstream in(pid_file);
    if (!(in >> pid)) {
      std::fprintf(stderr, "portcullis reload: cannot read a pid from %s\n", pid_file.c_str());
      return 1;
    }
  }
  if (pid <= 1) {
    std::fprintf(stderr, "portcullis reload: invalid pid %ld\n", pid);
    return 2;
  }
  if (kill(static_cast<pid_t>(pid), SIGUSR1) != 0) {
    std::fprintf(stderr, "portcullis reload: cannot signal %ld: %s\n", pid, std::strerror(errno));
    return 1;
  }
  std::printf("reload requested (pid %ld)\n", pid);
  return 0;
}

}  // namespace portcullis
