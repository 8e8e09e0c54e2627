// Process-wide logging to stderr or syslog (mail facility).
//
// Configure once at start-up (before threads) with LogTo*; after that every
// function is thread-safe. Messages are single lines; embedded CR/LF from
// untrusted input are escaped so a client cannot forge log lines.
#pragma once

#include <string>
#include <string_view>

namespace portcullis {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

void LogToStderr(LogLevel min_level);
void LogToSyslog(LogLevel min_level, const std::string& ident);
void Log(LogLevel level, std::string_view message);
// Whether a message at `level` would be written; for skipping the work of
// composing one that would not.
bool LogEnabled(LogLevel level);

inline void LogInfo(std::string_view m) { Log(LogLevel::kInfo, m); }
inline void LogWarning(std::string_view m) { Log(LogLevel::kWarning, m); }
inline void LogError(std::string_view m) { Log(LogLevel::kError, m); }
inline void LogDebug(std::string_view m) { Log(LogLevel::kDebug, m); }

}  // namespace portcullis
