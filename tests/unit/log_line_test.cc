// The stderr log line: time stamp, level, and the message with control
// characters escaped, so that client-supplied text never splits or forges
// a line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "portcullis/log.h"

namespace portcullis {
namespace {

// Runs `log` with stderr redirected to a pipe; returns what was written.
template <typename Fn>
std::string CaptureStderr(Fn log) {
  int pipe_fds[2];
  EXPECT_EQ(pipe(pipe_fds), 0);
  const int saved = dup(STDERR_FILENO);
  dup2(pipe_fds[1], STDERR_FILENO);
  log();
  dup2(saved, STDERR_FILENO);
  close(saved);
  close(pipe_fds[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof(buffer))) > 0;) out.append(buffer, n);
  close(pipe_fds[0]);
  return out;
}

TEST(LogLineTest, EscapesControlCharactersAndKeepsTheRest) {
  LogToStderr(LogLevel::kInfo);
  const std::string line =
      CaptureStderr([] { LogInfo("from=<a@b> text=\"x\ny\rz\x01\x7f\x1b[31m\" tail \xc3\xa9"); });
  EXPECT_THAT(line, ::testing::MatchesRegex(
                        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z "
                        "portcullis\\[[0-9]+\\]: info: .*\n"));
  EXPECT_THAT(line,
              ::testing::EndsWith(
                  ": info: from=<a@b> text=\"x\\ny\\rz\\x01\\x7f\\x1b[31m\" tail \xc3\xa9\n"));
}

TEST(LogLineTest, EmbeddedNulAndEdgesAreEscaped) {
  LogToStderr(LogLevel::kInfo);
  const std::string line = CaptureStderr([] { LogWarning(std::string("\n\0plain\t", 8)); });
  EXPECT_THAT(line, ::testing::EndsWith(": warning: \\n\\x00plain\\x09\n"));
}

TEST(LogLineTest, BelowTheLevelNothingIsWritten) {
  LogToStderr(LogLevel::kWarning);
  EXPECT_EQ(CaptureStderr([] { LogInfo("quiet"); }), "");
  LogToStderr(LogLevel::kInfo);
}

}  // namespace
}  // namespace portcullis
