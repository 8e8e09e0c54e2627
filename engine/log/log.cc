#include "portcullis/log.h"

#include <syslog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace portcullis {
namespace {

std::atomic<LogLevel> g_min_level{LogLevel::kInfo};
std::atomic<bool> g_syslog{false};
std::mutex g_stderr_mutex;

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

int SyslogPriority(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return LOG_DEBUG;
    case LogLevel::kInfo: return LOG_INFO;
    case LogLevel::kWarning: return LOG_WARNING;
    case LogLevel::kError: return LOG_ERR;
  }
  return LOG_INFO;
}

// Security: message text often carries client-supplied strings; escaping
// control characters keeps one message one log line.
std::string Sanitise(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (unsigned char c : message) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

void LogToStderr(LogLevel min_level) {
  g_min_level = min_level;
  g_syslog = false;
}

void LogToSyslog(LogLevel min_level, const std::string& ident) {
  g_min_level = min_level;
  static std::string kept_ident;  // openlog keeps the pointer
  kept_ident = ident;
  openlog(kept_ident.c_str(), LOG_PID | LOG_NDELAY, LOG_MAIL);
  g_syslog = true;
}

void Log(LogLevel level, std::string_view message) {
  if (level < g_min_level.load(std::memory_order_relaxed)) return;
  std::string line = Sanitise(message);
  if (g_syslog.load(std::memory_order_relaxed)) {
    syslog(SyslogPriority(level), "%s", line.c_str());
    return;
  }
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  int millis = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
      1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
  // The daemon never forks after start-up, so the pid is read once (a
  // getpid() system call per log line showed up in the benchmark).
  static const int pid = static_cast<int>(getpid());
  std::lock_guard<std::mutex> lock(g_stderr_mutex);
  std::fprintf(stderr, "%s.%03dZ portcullis[%d]: %s: %s\n", stamp, millis, pid,
               LevelName(level), line.c_str());
  std::fflush(stderr);
}

}  // namespace portcullis
