#include "portcullis/log.h"

#include <syslog.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
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

bool NeedsEscaping(unsigned char c) { return c < 0x20 || c == 0x7f; }

// Security: message text often carries client-supplied strings; escaping
// control characters keeps one message one log line.
void AppendSanitised(std::string_view message, std::string* out) {
  size_t plain_from = 0;  // appended in runs: most text needs no escaping
  for (size_t i = 0; i < message.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(message[i]);
    if (!NeedsEscaping(c)) continue;
    out->append(message, plain_from, i - plain_from);
    plain_from = i + 1;
    if (c == '\n') {
      out->append("\\n");
    } else if (c == '\r') {
      out->append("\\r");
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out->append("\\x");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xf]);
    }
  }
  out->append(message, plain_from, message.size() - plain_from);
}

// "2026-11-24T03:04:05" for the current second. Formatting a time costs more
// than the rest of a log line, and a busy daemon logs many lines a second,
// so each thread keeps the last one it formatted (a plain cache, not
// per-connection state).
std::string_view SecondStamp(std::time_t seconds) {
  thread_local std::time_t cached_second = -1;
  thread_local char cached[32];
  if (seconds != cached_second) {
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    std::strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second = seconds;
  }
  return cached;
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

bool LogEnabled(LogLevel level) { return level >= g_min_level.load(std::memory_order_relaxed); }

void Log(LogLevel level, std::string_view message) {
  if (!LogEnabled(level)) return;
  std::string line;
  line.reserve(message.size() + 64);
  if (g_syslog.load(std::memory_order_relaxed)) {
    AppendSanitised(message, &line);
    syslog(SyslogPriority(level), "%s", line.c_str());
    return;
  }
  auto now = std::chrono::system_clock::now();
  const auto millis_since_epoch =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const int milli = static_cast<int>(millis_since_epoch % 1000);
  const char millis[] = {'.',
                         static_cast<char>('0' + milli / 100),
                         static_cast<char>('0' + milli / 10 % 10),
                         static_cast<char>('0' + milli % 10),
                         'Z',
                         '\0'};
  // The daemon never forks after start-up, so the pid is read once (a
  // getpid() system call per log line showed up in the benchmark).
  static const std::string prefix = " portcullis[" + std::to_string(getpid()) + "]: ";
  line.append(SecondStamp(std::chrono::system_clock::to_time_t(now)));
  line.append(millis);
  line.append(prefix);
  line.append(LevelName(level));
  line.append(": ");
  AppendSanitised(message, &line);
  line.push_back('\n');
  // One write per line, so lines from different threads never interleave.
  std::lock_guard<std::mutex> lock(g_stderr_mutex);
  for (size_t written = 0; written < line.size();) {
    ssize_t n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // nowhere to report a failing log
    written += static_cast<size_t>(n);
  }
}

}  // namespace portcullis
