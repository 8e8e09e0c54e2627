#include "postconf_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "portcullis/log.h"

extern char** environ;

namespace portcullis::bare_lf {
namespace {

constexpr std::string_view kParameter = "smtpd_forbid_bare_newline";
constexpr std::array<std::string_view, 2> kFallbackDirs = {"/usr/sbin", "/usr/local/sbin"};

bool IsExecutable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  size_t end = text.find_first_of("\r\n");
  if (end != std::string_view::npos) text = text.substr(0, end);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

// Owns the child process and both pipes; kills and reaps the child if it is
// still running when the runner goes away.
class ChildRunner {
 public:
  ~ChildRunner() {
    for (int fd : {out_, err_}) {
      if (fd >= 0) close(fd);
    }
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }

  std::string Start(const std::string& program, std::string_view parameter) {
    int out_pipe[2];
    int err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) return std::strerror(errno);
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
      close(out_pipe[0]);
      close(out_pipe[1]);
      return std::strerror(errno);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    std::string param(parameter);
    std::string flag = "-h";
    std::string argv0 = program;
    char* argv[] = {argv0.data(), flag.data(), param.data(), nullptr};
    pid_t pid = 0;
    int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_ = out_pipe[0];
    err_ = err_pipe[0];
    if (rc != 0) return std::string("cannot run ") + program + ": " + std::strerror(rc);
    pid_ = pid;
    return "";
  }

  // Reads both pipes to EOF and reaps the child, or gives up at `deadline`.
  bool Collect(std::chrono::steady_clock::time_point deadline, std::string* out, std::string* err,
               int* status) {
    std::array<std::string*, 2> sinks = {out, err};
    std::array<int*, 2> fds = {&out_, &err_};
    while (out_ >= 0 || err_ >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      std::array<pollfd, 2> polls = {{{out_, POLLIN, 0}, {err_, POLLIN, 0}}};
      int ready = poll(polls.data(), polls.size(), static_cast<int>(left.count()));
      if (ready < 0 && errno != EINTR) return false;
      for (size_t i = 0; i < 2; ++i) {
        if (*fds[i] < 0 || polls[i].revents == 0) continue;
        char buffer[512];
        ssize_t n = read(*fds[i], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n > 0 && sinks[i]->size() < kMaxPostconfOutput) {
          sinks[i]->append(buffer, static_cast<size_t>(n));
        }
        if (n <= 0) {
          close(*fds[i]);
          *fds[i] = -1;
        }
      }
    }
    while (true) {
      pid_t done = waitpid(pid_, status, WNOHANG);
      if (done == pid_) {
        pid_ = -1;
        return true;
      }
      if (done < 0) {  // e.g. SIGCHLD ignored: the child was reaped for us
        pid_ = -1;
        *status = 0;
        return true;
      }
      if (std::chrono::steady_clock::now() >= deadline) return false;
      usleep(10'000);
    }
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int err_ = -1;
};

}  // namespace

std::optional<std::string> FindPostconf() {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    size_t colon = dirs.find(':');
    std::string_view dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    if (dir.empty()) continue;  // never the current directory
    std::string candidate = std::string(dir) + "/postconf";
    if (IsExecutable(candidate)) return candidate;
  }
  for (std::string_view dir : kFallbackDirs) {
    std::string candidate = std::string(dir) + "/postconf";
    if (IsExecutable(candidate)) return candidate;
  }
  return std::nullopt;
}

PostconfAnswer QueryPostconf(const std::string& program, std::string_view parameter,
                             std::chrono::milliseconds timeout) {
  PostconfAnswer answer;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  ChildRunner child;
  if (std::string error = child.Start(program, parameter); !error.empty()) {
    answer.error = error;
    return answer;
  }
  std::string out;
  std::string err;
  int status = 0;
  if (!child.Collect(deadline, &out, &err, &status)) {
    answer.error = program + " did not answer within " + std::to_string(timeout.count()) + " ms";
    return answer;
  }
  // postconf warns "<name>: unknown parameter" on stderr and exits 0.
  if (err.find("unknown parameter") != std::string::npos) {
    answer.outcome = PostconfAnswer::Outcome::kUnknownParameter;
    return answer;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out.empty()) {
    answer.error = program + " failed: " + (err.empty() ? "no output" : Trim(err));
    return answer;
  }
  answer.outcome = PostconfAnswer::Outcome::kValue;
  answer.value = Trim(out);
  return answer;
}

std::optional<std::string> BareNewlineAdvice(const PostconfAnswer& answer) {
  constexpr std::string_view kFix =
      "set smtpd_forbid_bare_newline = normalize (Postfix >= 3.9; \"yes\" on 3.5.23, 3.6.13, "
      "3.7.9, 3.8.4 and later) and smtpd_forbid_bare_newline_exclusions = $mynetworks in "
      "main.cf";
  switch (answer.outcome) {
    case PostconfAnswer::Outcome::kUnknownParameter:
      return "bare_lf: this Postfix does not know smtpd_forbid_bare_newline and is open to SMTP "
             "smuggling (CVE-2023-51764); upgrade Postfix, then " +
             std::string(kFix);
    case PostconfAnswer::Outcome::kFailed:
      return "bare_lf: could not ask Postfix for smtpd_forbid_bare_newline: " + answer.error;
    case PostconfAnswer::Outcome::kValue: break;
  }
  if (answer.value == "yes" || answer.value == "normalize" || answer.value == "reject") {
    return std::nullopt;
  }
  if (answer.value == "no") {
    return "bare_lf: Postfix accepts bare newlines (smtpd_forbid_bare_newline = no), which "
           "leaves SMTP smuggling (CVE-2023-51764) to be caught after the fact; " +
           std::string(kFix);
  }
  return "bare_lf: unrecognised smtpd_forbid_bare_newline = '" + answer.value + "'; " +
         std::string(kFix);
}

void WarnAboutPostfixBareNewline() {
  std::optional<std::string> program = FindPostconf();
  if (!program) return;
  std::optional<std::string> advice = BareNewlineAdvice(QueryPostconf(*program, kParameter));
  if (advice) LogWarning(*advice);
}

}  // namespace portcullis::bare_lf
