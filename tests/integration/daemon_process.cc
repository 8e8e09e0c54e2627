#include "daemon_process.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace portcullis::testing {
namespace {

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

bool CanConnect(const std::string& address) {
  int fd = -1;
  int result = -1;
  if (address.rfind("unix:", 0) == 0) {
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    std::strncpy(un.sun_path, address.substr(5).c_str(), sizeof(un.sun_path) - 1);
    result = connect(fd, reinterpret_cast<sockaddr*>(&un), sizeof(un));
  } else {
    int port = std::stoi(address.substr(5, address.find('@') - 5));
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(static_cast<uint16_t>(port));
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    result = connect(fd, reinterpret_cast<sockaddr*>(&in), sizeof(in));
  }
  close(fd);
  return result == 0;
}

}  // namespace

DaemonProcess::DaemonProcess(const std::string& config_body, bool unix_socket) {
  char pattern[] = "/tmp/portcullis-it-XXXXXX";
  dir_ = mkdtemp(pattern);
  if (unix_socket) {
    socket_path_ = dir_ + "/milter.sock";
    address_ = "unix:" + socket_path_;
  } else {
    address_ = "inet:" + std::to_string(FreeLoopbackPort()) + "@127.0.0.1";
  }
  RewriteConfig(config_body);
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0) Stop(std::chrono::seconds(5));
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string DaemonProcess::Header() const {
  return "listen = \"" + address_ + "\"\nstate_dir = \"" + dir_ +
         "\"\nauthserv_id = \"mx.test\"\nmetrics = { listen = \"\" }\n"
         "timeouts = { drain_ms = 5000 }\n";
}

std::string DaemonProcess::WriteFile(const std::string& name, const std::string& content) const {
  std::string path = dir_ + "/" + name;
  std::ofstream(path, std::ios::trunc) << content;
  return path;
}

void DaemonProcess::RewriteConfig(const std::string& config_body) const {
  WriteFile("portcullis.lua", Header() + config_body);
}

bool DaemonProcess::Start(std::chrono::milliseconds timeout) {
  std::string config = dir_ + "/portcullis.lua";
  std::string log = dir_ + "/daemon.log";
  pid_ = fork();
  if (pid_ == 0) {
    FILE* out = std::freopen(log.c_str(), "w", stderr);
    (void)out;
    dup2(STDERR_FILENO, STDOUT_FILENO);
    execl(PORTCULLIS_BIN, PORTCULLIS_BIN, "serve", "-c", config.c_str(), nullptr);
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Running()) return false;
    // The socket accepts as soon as libmilter listens; the daemon finishes
    // setting it up (TCP_NODELAY, unix socket mode) before it says so.
    if (CanConnect(address_) && Log().find("listening on") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool DaemonProcess::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t done = waitpid(pid_, &status, WNOHANG);
  if (done == pid_) {
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
    return false;
  }
  return true;
}

void DaemonProcess::Signal(int signal_number) const {
  if (pid_ > 0) kill(pid_, signal_number);
}

int DaemonProcess::Stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return exit_status_;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Running()) return exit_status_;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

std::string DaemonProcess::Log() const {
  std::ifstream in(dir_ + "/daemon.log");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool DaemonProcess::WaitForLog(const std::string& text, int count,
                               std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::string log = Log();
    int seen = 0;
    for (size_t pos = log.find(text); pos != std::string::npos; pos = log.find(text, pos + 1)) {
      ++seen;
    }
    if (seen >= count) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace portcullis::testing
