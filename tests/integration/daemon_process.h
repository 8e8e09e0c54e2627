// Starts the real `portcullis serve` in a child process with a config
// written into a fresh temp dir, waits until its milter socket accepts
// connections, and stops it (SIGTERM, then SIGKILL after a bound) on
// destruction. Its stderr goes to a file the test can read.
//
// One per test; not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

namespace portcullis::testing {

class DaemonProcess {
 public:
  // `config_body` is appended to a header that sets listen (a free loopback
  // port, or a unix socket in the temp dir when `unix_socket`), state_dir,
  // authserv_id = "mx.test" and metrics.listen = "".
  explicit DaemonProcess(const std::string& config_body, bool unix_socket = false);
  ~DaemonProcess();

  // False when the daemon exited or did not listen within the bound.
  bool Start(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  // SIGTERM and wait (bounded); returns the exit status, or -1 on timeout.
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  void Signal(int signal_number) const;
  bool Running();

  // "inet:PORT@127.0.0.1" or "unix:/path".
  const std::string& address() const { return address_; }
  const std::string& dir() const { return dir_; }
  pid_t pid() const { return pid_; }
  std::string WriteFile(const std::string& name, const std::string& content) const;
  // Rewrites the config (same header) for a reload test.
  void RewriteConfig(const std::string& config_body) const;
  std::string Log() const;
  // Waits (bounded) until the log contains `text` `count` times.
  bool WaitForLog(const std::string& text, int count = 1,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  std::string Header() const;

  std::string dir_;
  std::string address_;
  std::string socket_path_;
  pid_t pid_ = -1;
  int exit_status_ = -1;
};

}  // namespace portcullis::testing
