// ScanRawMessage: the line-end rule for stored messages (any CRLF in the
// file: lone LF is bare; no CRLF: Unix line ends), header/body split, file
// offsets, and the report text for `portcullis scan`.
#include "raw_message_scan.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "findings_summary.h"

namespace portcullis::bare_lf {
namespace {

using namespace std::string_literals;

struct Case {
  std::string what;
  std::string message;
  LineEnds want_line_ends;
  uint64_t want_header_bytes;
  std::string want;
};

void Check(const Case& c, const RawScanReport& got) {
  EXPECT_EQ(Summary(got.findings), c.want) << c.what;
  EXPECT_EQ(got.line_ends, c.want_line_ends) << c.what;
  EXPECT_EQ(got.header_bytes, c.want_header_bytes) << c.what;
}

TEST(BareLfRawScan, InMemory) {
  const std::vector<Case> cases = {
      {"CRLF clean", "Subject: a\r\n\r\nbody\r\n", LineEnds::kCrLf, 14, "clean"},
      {"LF clean", "Subject: a\n\nbody\n", LineEnds::kLf, 12, "clean"},
      {"CRLF folded header", "Subject: a\r\n\tb\r\n\r\nbody\r\n", LineEnds::kCrLf, 18, "clean"},
      {"CRLF bare LF in body", "Subject: a\r\n\r\nbo\ndy\r\n", LineEnds::kCrLf, 14,
       "BARE_LF_BODY:1@16"},
      {"CRLF bare LF in header", "Subject: a\nX: b\r\n\r\nbody\r\n", LineEnds::kCrLf, 19,
       "BARE_LF_HEADER:1@10"},
      {"CRLF bare LF before a fold is still bare", "Subject: a\n\tb\r\n\r\nx\r\n", LineEnds::kCrLf,
       17, "BARE_LF_HEADER:1@10"},
      {"CRLF header ends with a bare LF line", "Subject: a\r\n\nbody\r\n", LineEnds::kCrLf, 13,
       "BARE_LF_HEADER:1@12"},
      {"LF lone CR in body", "Subject: a\n\nbo\rdy\n", LineEnds::kLf, 12, "BARE_CR_BODY:1@14"},
      {"LF lone CR in header", "Subject: a\rb\n\nbody\n", LineEnds::kLf, 14, "BARE_CR_HEADER:1@10"},
      {"LF NUL", "Subject: a\n\nx\0y\n"s, LineEnds::kLf, 12, "NUL_BODY:1@13"},
      {"CRLF NUL in header", "Subject: \0\r\n\r\n"s, LineEnds::kCrLf, 14, "NUL_HEADER:1@9"},
      {"LF dot line then command", "Subject: a\n\nx\n.\nMAIL FROM:<a@b>\n", LineEnds::kLf, 12,
       "SMTP_SMUGGLING:1@14['.' line then SMTP command]"},
      {"LF dot line then text", "Subject: a\n\nx\n.\nhello\n", LineEnds::kLf, 12, "clean"},
      {"CRLF raw smuggling", "Subject: a\r\n\r\nx\r\n.\nMAIL FROM:<a@b>\r\n", LineEnds::kCrLf, 14,
       "BARE_LF_BODY:1@18 SMTP_SMUGGLING:2@15[<CR><LF>.<LF>]"},
      {"no body", "Subject: a\r\n", LineEnds::kCrLf, 12, "clean"},
      {"no headers", "\r\nbody\n", LineEnds::kCrLf, 2, "BARE_LF_BODY:1@6"},
      {"empty file", "", LineEnds::kLf, 0, "clean"},
  };
  for (const Case& c : cases) Check(c, ScanRawMessage(c.message));
}

std::string ReadFile(const std::string& name) {
  std::ifstream in(std::string(BARE_LF_TEST_DATA) + "/" + name, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST(BareLfRawScan, GoldenFiles) {
  const std::vector<Case> cases = {
      {"crlf_clean.eml", "", LineEnds::kCrLf, 67, "clean"},
      {"crlf_bare_lf_body.eml", "", LineEnds::kCrLf, 39, "BARE_LF_BODY:1@47"},
      {"crlf_header_injection.eml", "", LineEnds::kCrLf, 50, "BARE_LF_HEADER:1@32"},
      {"crlf_smuggling.eml", "", LineEnds::kCrLf, 41,
       "BARE_LF_BODY:1@45 SMTP_SMUGGLING:2@45[<LF>.<CR><LF>]"},
      {"lf_clean.eml", "", LineEnds::kLf, 35, "clean"},
      {"lf_lone_cr.eml", "", LineEnds::kLf, 38, "BARE_CR_HEADER:1@31 BARE_CR_BODY:1@40"},
      {"lf_smuggling.eml", "", LineEnds::kLf, 38,
       "SMTP_SMUGGLING:1@41['.' line then SMTP command]"},
  };
  for (const Case& c : cases) {
    const std::string bytes = ReadFile(c.what);
    ASSERT_FALSE(bytes.empty()) << c.what;
    Check(c, ScanRawMessage(bytes));
  }
}

TEST(BareLfRawScan, Format) {
  struct FormatCase {
    std::string message;
    std::string want;
  };
  const std::vector<FormatCase> cases = {
      {"Subject: a\n\nbody\n", "line ends: LF\nclean\n"},
      {"Subject: a\r\n\r\nx\n.\r\nQUIT\r\n",
       "line ends: CRLF\n"
       "BARE_LF_BODY: 1 (first at byte 15)\n"
       "SMTP_SMUGGLING: 2 (first at byte 15, <LF>.<CR><LF>)\n"},
  };
  for (const FormatCase& c : cases) {
    EXPECT_EQ(FormatRawScanReport(ScanRawMessage(c.message)), c.want);
  }
}

}  // namespace
}  // namespace portcullis::bare_lf
