// `portcullis check-config`: build a Snapshot exactly as serve would and
// report every problem as file:line.
#include <cstdio>

#include "cli_args.h"
#include "config/snapshot.h"

namespace portcullis {

int CheckConfigCommand(int argc, char** argv) {
  static const char kHelp[] =
      "usage: portcullis check-config [-c FILE] [--dns HOST:PORT]...\n"
      "\n"
      "Loads the config, builds every enabled check (rule files, lists) and\n"
      "compiles the Lua policy, as `serve` would. Exit 0 when all is well, or\n"
      "2 with every error printed as file:line: message.\n";
  CliArgs args(argc, argv, {"-c", "--config", "--dns"});
  if (int status = HandleHelpAndUsage(args, "check-config", kHelp, 0); status >= 0) return status;
  std::string file = args.Value("-c", args.Value("--config"));
  auto snapshot = LoadSnapshotOrReport(args, /*offline=*/true);
  if (!snapshot) return 2;
  std::string checks;
  for (const EnabledCheck& check : snapshot->checks) checks += " " + check.name;
  std::printf("%s: OK (checks:%s; policy %s)\n",
              file.empty() ? "built-in config" : file.c_str(),
              checks.empty() ? " none" : checks.c_str(),
              snapshot->policy->source_name().c_str());
  return 0;
}

}  // namespace portcullis
