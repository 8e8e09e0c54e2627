// Runs redis-server as a child process for a test or benchmark: on
// 127.0.0.1 with a free port, no persistence (--save "" --appendonly no), in
// a temporary directory, optionally with a password. Restart() brings it back
// on the same port, so a client's reconnect logic can be tested.
//
// The object owns the child and the temporary directory: the destructor
// stops the child (SIGTERM by PID, SIGKILL after 2 s, waitpid) and removes
// the directory. Not thread-safe; use from the test's thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

namespace portcullis::testing {

class RedisServerProcess {
 public:
  // The binary is $PORTCULLIS_REDIS_SERVER or redis-server on PATH. Waits
  // at most 5 s for PING to answer. nullptr with `error` (including the
  // server's log) on failure.
  static std::unique_ptr<RedisServerProcess> Start(const std::string& password,
                                                   std::string* error);
  ~RedisServerProcess();
  RedisServerProcess(const RedisServerProcess&) = delete;
  RedisServerProcess& operator=(const RedisServerProcess&) = delete;

  uint16_t port() const { return port_; }
  bool running() const { return pid_ > 0; }

  // SIGTERM and wait (SIGKILL after 2 s). Idempotent.
  void Stop();
  // Starts it again on the same port (Stop first if running).
  bool Restart(std::string* error);
  // SIGSTOP / SIGCONT: a server that accepts but never answers, for
  // timeout tests. The destructor resumes a paused server before stopping.
  void Pause();
  void Resume();

  // Sends one command (space-separated words, no quoting) over a fresh
  // connection and returns the raw RESP reply, "" on failure. For INFO and
  // CONFIG in tests of a server started without a password.
  std::string Command(const std::string& words) const;

 private:
  RedisServerProcess() = default;
  bool Launch(std::string* error);

  pid_t pid_ = -1;
  bool paused_ = false;
  uint16_t port_ = 0;
  std::string password_;
  std::string dir_;
};

}  // namespace portcullis::testing
