// The milter listener: registers the callbacks with libmilter, opens the
// socket, and runs libmilter's loop until SIGTERM/SIGHUP/SIGINT (which
// libmilter takes as "stop"). SIGUSR1 triggers `on_reload`.
//
// Run() is called once, from main(). The SnapshotHolder must outlive it.
// libmilter runs the callbacks on its worker pool; see milter_callbacks.cc.
#pragma once

#include <functional>
#include <string>

#include "config/snapshot.h"

namespace portcullis {

struct MilterServerOptions {
  ListenerConfig listener;
  int64_t drain_timeout_ms = 10000;
  // Runs once when the daemon stops after SIGTERM/SIGHUP (pid file removal).
  std::function<void()> on_stopped;
};

// Returns the process exit status. After SIGTERM/SIGHUP and the drain, the
// process exits from the stop hook itself (status 0) instead of returning:
// libmilter's own teardown of its worker pool races with its workers.
int RunMilterServer(const MilterServerOptions& options, SnapshotHolder* snapshots,
                    std::function<void()> on_reload);

}  // namespace portcullis
