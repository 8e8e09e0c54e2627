#include "dns_server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace portcullis::testing {

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(5);
constexpr auto kTermTimeout = std::chrono::seconds(2);
constexpr auto kWaitPoll = std::chrono::milliseconds(5);
constexpr std::string_view kListeningPrefix = "listening on 127.0.0.1:";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Waits for `pid` to exit for at most `timeout`; true if reaped.
bool WaitExit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kWaitPoll);
  }
}

}  // namespace

std::unique_ptr<DnsServerProcess> DnsServerProcess::Start(
    const std::vector<std::string>& zone_files, const std::vector<std::string>& faults,
    std::string* error) {
  std::unique_ptr<DnsServerProcess> proc(new DnsServerProcess());
  const char* tmp = getenv("TMPDIR");
  std::string templ =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/portcullis-dns-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) {
    *error = std::string("mkdtemp: ") + strerror(errno);
    return nullptr;
  }
  proc->temp_dir_ = templ;
  proc->query_log_path_ = templ + "/query.log";
  proc->stderr_path_ = templ + "/stderr";

  std::vector<std::string> args = {PORTCULLIS_TEST_DNS_SERVER_BIN, "--listen", "127.0.0.1:0",
                                   "--query-log", proc->query_log_path_};
  for (const std::string& z : zone_files) args.insert(args.end(), {"--zone", z});
  for (const std::string& f : faults) args.insert(args.end(), {"--fault", f});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + strerror(errno);
    return nullptr;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, proc->stderr_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  proc->stdout_fd_ = out_pipe[0];
  if (rc != 0) {
    *error = std::string("posix_spawn ") + argv[0] + ": " + strerror(rc);
    return nullptr;
  }
  proc->pid_ = pid;

  // Read stdout until the first line, for at most kStartTimeout.
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd pfd{proc->stdout_fd_, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[256];
    const ssize_t n = read(proc->stdout_fd_, buf, sizeof(buf));
    if (n <= 0) break;  // the server exited (or closed stdout) before listening
    line.append(buf, static_cast<size_t>(n));
  }
  const size_t nl = line.find('\n');
  if (nl != std::string::npos && line.starts_with(kListeningPrefix)) {
    const int port = atoi(line.substr(kListeningPrefix.size(), nl).c_str());
    if (port > 0 && port <= 65535) {
      proc->port_ = static_cast<uint16_t>(port);
      return proc;
    }
  }
  *error = "dns server did not report 'listening on' within 5 s (stdout: '" + line +
           "'); stderr:\n" + ReadFile(proc->stderr_path_);
  return nullptr;  // the destructor stops the child and removes the files
}

DnsServerProcess::~DnsServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    if (!WaitExit(pid_, kTermTimeout)) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  if (!temp_dir_.empty()) {
    unlink(query_log_path_.c_str());
    unlink(stderr_path_.c_str());
    rmdir(temp_dir_.c_str());
  }
}

std::string DnsServerProcess::address() const { return "127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> DnsServerProcess::QueryLog() const {
  std::vector<std::string> lines;
  std::istringstream in(ReadFile(query_log_path_));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

int DnsServerProcess::CountQueries(std::string_view qname, std::string_view qtype) const {
  std::string name = Lower(qname);
  while (!name.empty() && name.back() == '.') name.pop_back();
  // assign(), not = ".": GCC 12 warns falsely (-Wrestrict) on the latter.
  if (name.empty()) name.assign(1, '.');  // the root, as the server logs it
  std::string type(qtype);
  for (char& c : type) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  const std::string want = " " + name + " " + type;
  int count = 0;
  for (const std::string& line : QueryLog()) {
    if ((line.starts_with("udp") || line.starts_with("tcp")) && line.substr(3) == want) ++count;
  }
  return count;
}

}  // namespace portcullis::testing
