// Runs portcullis_test_dns_server as a child process for a GoogleTest suite:
// starts it on 127.0.0.1 with a free port, waits for its "listening on"
// line, reads its query log, and stops it when destroyed.
//
// The object owns the child process and two temporary files (the query log
// and the child's stderr), all removed/stopped by the destructor. Methods
// may be called from any thread but not concurrently with destruction;
// QueryLog()/CountQueries() only read the log file.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::testing {

class DnsServerProcess {
 public:
  // Starts the binary (PORTCULLIS_TEST_DNS_SERVER_BIN) with --zone for each
  // file and --fault for each "SUFFIX=MODE", waiting at most 5 s for it to
  // listen. Returns nullptr and fills *error (with the server's stderr) on
  // failure.
  static std::unique_ptr<DnsServerProcess> Start(const std::vector<std::string>& zone_files,
                                                 const std::vector<std::string>& faults,
                                                 std::string* error);
  // SIGTERM and wait; SIGKILL after 2 s. Removes the temporary files.
  ~DnsServerProcess();
  DnsServerProcess(const DnsServerProcess&) = delete;
  DnsServerProcess& operator=(const DnsServerProcess&) = delete;

  uint16_t port() const { return port_; }
  std::string address() const;  // "127.0.0.1:PORT"

  // Lines of the query log so far ("udp mail.example.test MX").
  std::vector<std::string> QueryLog() const;
  // Queries for `qname` (any case, trailing dot optional) and `qtype`
  // ("A", "TXT"...) received so far over UDP and TCP.
  int CountQueries(std::string_view qname, std::string_view qtype) const;

 private:
  DnsServerProcess() = default;

  pid_t pid_ = -1;
  int stdout_fd_ = -1;  // kept open so the child never writes to a closed pipe
  uint16_t port_ = 0;
  std::string temp_dir_;
  std::string query_log_path_;
  std::string stderr_path_;
};

}  // namespace portcullis::testing
