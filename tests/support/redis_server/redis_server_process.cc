#include "redis_server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace portcullis::testing {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(5);
constexpr auto kStopTimeout = std::chrono::seconds(2);
constexpr auto kPoll = std::chrono::milliseconds(20);

uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One RESP request over a new connection with 1 s timeouts.
std::string RoundTrip(uint16_t port, const std::vector<std::string>& args) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string reply;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    std::string request = "*" + std::to_string(args.size()) + "\r\n";
    for (const std::string& arg : args) {
      request += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
    }
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      // Bounded: at most 1000 reads of 1 s each; a short reply is complete
      // when it ends with CRLF and, for a bulk string, has its length.
      char buffer[4096];
      for (int i = 0; i < 1000; ++i) {
        ssize_t got = ::recv(fd, buffer, sizeof(buffer), 0);
        if (got <= 0) break;
        reply.append(buffer, static_cast<size_t>(got));
        if (reply.size() >= 2 && reply.compare(reply.size() - 2, 2, "\r\n") == 0) {
          if (reply[0] != '$') break;
          size_t header_end = reply.find("\r\n");
          long length = std::strtol(reply.c_str() + 1, nullptr, 10);
          if (length < 0 || reply.size() >= header_end + 2 + static_cast<size_t>(length) + 2) {
            break;
          }
        }
      }
    }
  }
  ::close(fd);
  return reply;
}

}  // namespace

std::unique_ptr<RedisServerProcess> RedisServerProcess::Start(const std::string& password,
                                                              std::string* error) {
  std::unique_ptr<RedisServerProcess> server(new RedisServerProcess());
  char pattern[] = "/tmp/portcullis-redis-XXXXXX";
  if (!::mkdtemp(pattern)) {
    *error = "mkdtemp failed";
    return nullptr;
  }
  server->dir_ = pattern;
  server->password_ = password;
  // Bounded: a few tries in case another process takes the port between
  // FreePort and redis-server's bind.
  for (int attempt = 0; attempt < 3; ++attempt) {
    server->port_ = FreePort();
    if (server->port_ != 0 && server->Launch(error)) return server;
  }
  return nullptr;
}

bool RedisServerProcess::Launch(std::string* error) {
  const char* env = std::getenv("PORTCULLIS_REDIS_SERVER");
  std::string binary = env && *env ? env : "redis-server";
  std::string log = dir_ + "/redis.log";
  std::vector<std::string> args = {binary,      "--port",       std::to_string(port_),
                                   "--bind",    "127.0.0.1",    "--save",
                                   "",          "--appendonly", "no",
                                   "--dir",     dir_,           "--logfile",
                                   log,         "--daemonize",  "no"};
  if (!password_.empty()) {
    args.push_back("--requirepass");
    args.push_back(password_);
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    *error = "fork failed";
    return false;
  }
  if (pid == 0) {
    int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      ::dup2(null_fd, 0);
      ::dup2(null_fd, 1);
    }
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  auto give_up = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < give_up) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      *error = "redis-server exited at start (status " + std::to_string(status) +
               "): " + ReadFile(log);
      return false;
    }
    std::vector<std::string> ping = {"PING"};
    if (!password_.empty()) ping = {"AUTH", password_};
    std::string reply = RoundTrip(port_, ping);
    if (reply.rfind("+PONG", 0) == 0 || reply.rfind("+OK", 0) == 0) return true;
    std::this_thread::sleep_for(kPoll);
  }
  *error = "redis-server did not answer PING within 5 s: " + ReadFile(log);
  Stop();
  return false;
}

void RedisServerProcess::Pause() {
  if (pid_ > 0 && ::kill(pid_, SIGSTOP) == 0) paused_ = true;
}

void RedisServerProcess::Resume() {
  if (pid_ > 0 && paused_) ::kill(pid_, SIGCONT);
  paused_ = false;
}

void RedisServerProcess::Stop() {
  if (pid_ <= 0) return;
  Resume();
  ::kill(pid_, SIGTERM);
  auto give_up = std::chrono::steady_clock::now() + kStopTimeout;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= give_up) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(kPoll);
  }
  pid_ = -1;
}

bool RedisServerProcess::Restart(std::string* error) {
  Stop();
  // Bounded: the old socket may linger a moment in TIME_WAIT-free close.
  for (int attempt = 0; attempt < 10; ++attempt) {
    if (Launch(error)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::string RedisServerProcess::Command(const std::string& words) const {
  std::vector<std::string> args;
  std::istringstream in(words);
  for (std::string word; in >> word;) args.push_back(word);
  return RoundTrip(port_, args);
}

RedisServerProcess::~RedisServerProcess() {
  Stop();
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

}  // namespace portcullis::testing
