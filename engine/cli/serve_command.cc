// `portcullis serve`: load the config, start metrics, run the milter.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "cli_args.h"
#include "config/snapshot.h"
#include "metrics/engine_metrics.h"
#include "milter/milter_server.h"
#include "milter/milter_signals.h"
#include "portcullis/log.h"

namespace portcullis {
namespace {

const char kServeHelp[] =
    "usage: portcullis serve [-c FILE] [--listen SPEC] [--dns HOST:PORT]...\n"
    "\n"
    "Runs the milter daemon in the foreground. Without -c it uses the built-in\n"
    "defaults (examples/portcullis.lua). --listen overrides the config's listen\n"
    "(inet:PORT@HOST or unix:/path); --dns replaces the config's dns.servers\n"
    "(default /etc/resolv.conf). SIGTERM stops after in-flight messages,\n"
    "SIGUSR1 reloads the config. Exit 2 on a config error.\n";

LogLevel ParseLevel(const std::string& level) {
  if (level == "debug") return LogLevel::kDebug;
  if (level == "warning") return LogLevel::kWarning;
  if (level == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

void WritePidFile(const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) {
    LogWarning("cannot write pid file " + path + "; `portcullis reload` will need --pid");
    return;
  }
  out << getpid() << "\n";
}

void PrintPostfixLines(const std::string& spec) {
  std::string postfix_spec = spec;
  if (spec.rfind("unix:", 0) == 0) postfix_spec = "unix:" + spec.substr(5);
  if (spec.rfind("inet:", 0) == 0) {
    // libmilter says inet:PORT@HOST, Postfix says inet:HOST:PORT.
    auto at = spec.find('@');
    std::string port = spec.substr(5, at == std::string::npos ? std::string::npos : at - 5);
    std::string host = at == std::string::npos ? "127.0.0.1" : spec.substr(at + 1);
    postfix_spec = "inet:" + host + ":" + port;
  }
  std::fprintf(stderr,
               "Attach it to Postfix with these main.cf lines (then `postfix reload`):\n"
               "  smtpd_milters = %s\n"
               "  non_smtpd_milters = $smtpd_milters\n"
               "  milter_protocol = 6\n"
               "  milter_default_action = tempfail\n"
               "  milter_connect_timeout = 10s\n"
               "  milter_command_timeout = 30s\n"
               "  milter_content_timeout = 60s\n",
               postfix_spec.c_str());
}

}  // namespace

int ServeCommand(int argc, char** argv) {
  // Before any thread exists (metrics, reload, libmilter): a thread that has
  // SIGTERM unblocked would let it kill the process outright.
  BlockDaemonSignals();
  CliArgs args(argc, argv, {"-c", "--config", "--listen", "--dns"});
  if (int status = HandleHelpAndUsage(args, "serve", kServeHelp, 0); status >= 0) return status;
  std::string file = args.Value("-c", args.Value("--config"));
  auto snapshot = LoadSnapshotOrReport(args, /*offline=*/false);
  if (!snapshot) {
    std::fprintf(stderr, "portcullis: configuration invalid, not starting\n");
    return 2;
  }
  EngineMetrics::Get().CountReload(true);
  const EngineConfig& config = snapshot->config;
  MilterServerOptions options;
  options.listener = config.listener;
  if (!args.Value("--listen").empty()) options.listener.spec = args.Value("--listen");
  options.drain_timeout_ms = config.drain_timeout_ms;
  std::string pid_file = config.pid_file;
  options.on_stopped = [pid_file] { ::unlink(pid_file.c_str()); };
  PrintPostfixLines(options.listener.spec);
  if (config.log_target == "syslog") {
    LogToSyslog(ParseLevel(config.log_level), "portcullis");
  } else {
    LogToStderr(ParseLevel(config.log_level));
  }
  if (!config.metrics_listen.empty()) {
    std::string error = StartMetricsExposer(config.metrics_listen);
    if (!error.empty()) {
      LogError(error);
      return 2;
    }
    LogInfo("metrics on http://" + config.metrics_listen + "/metrics");
  }
  ::mkdir(config.state_dir.c_str(), 0750);  // may exist; a failure shows below
  WritePidFile(config.pid_file);
  for (const EnabledCheck& check : snapshot->checks) check.check->SelfTest();
  std::string checks;
  for (const EnabledCheck& check : snapshot->checks) checks += " " + check.name;
  LogInfo("portcullis " PORTCULLIS_VERSION " starting; config " +
          (file.empty() ? std::string("(built in)") : file) + "; checks:" + checks);

  SnapshotHolder holder;
  holder.Set(snapshot);
  SnapshotOverrides overrides;
  overrides.dns_servers = args.Values("--dns");
  auto reload = [&holder, file, overrides]() {
    ConfigErrors reload_errors;
    auto next = BuildSnapshot(file, &reload_errors, overrides);
    if (!next) {
      for (const std::string& error : reload_errors.all()) LogError("reload: " + error);
      LogError("reload failed; keeping the running configuration");
      EngineMetrics::Get().CountReload(false);
      return;
    }
    const EngineConfig& old_config = holder.Get()->config;
    if (next->config.listener.spec != old_config.listener.spec ||
        next->config.metrics_listen != old_config.metrics_listen) {
      LogWarning("reload: listen and metrics addresses change only on restart");
    }
    holder.Set(next);
    EngineMetrics::Get().CountReload(true);
    LogInfo("configuration reloaded (generation " + std::to_string(next->generation) + ")");
  };
  int status = RunMilterServer(options, &holder, reload);
  ::unlink(config.pid_file.c_str());
  return status;
}

}  // namespace portcullis
