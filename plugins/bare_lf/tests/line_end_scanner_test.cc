// Header and body rules of LineEndScanner, one table per input kind.
#include "line_end_scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "findings_summary.h"

namespace portcullis::bare_lf {
namespace {

using namespace std::string_literals;

struct HeaderCase {
  std::string what;
  std::string name;
  std::string value;  // as the MTA sends it with SMFIP_HDR_LEADSPC
  std::string want;
};

TEST(BareLfScannerHeader, OneHeader) {
  // Offsets: name at 0, ':' after it, value from name.size() + 1.
  const std::vector<HeaderCase> cases = {
      {"plain", "Subject", " hello", "clean"},
      {"tab fold", "Subject", " hello\n\tworld", "clean"},
      {"space fold", "Subject", " hello\n world", "clean"},
      {"two folds", "Subject", " a\n\tb\n c", "clean"},
      {"fold right after colon", "Subject", "\n\thello", "clean"},
      {"no leading space", "Subject", "hello", "clean"},
      {"injected header", "Subject", " hello\nX-Injected: 1", "BARE_LF_HEADER:1@14"},
      {"LF at end of value", "Subject", " hello\n", "BARE_LF_HEADER:1@14"},
      {"LF then LF", "Subject", " a\n\n\tb", "BARE_LF_HEADER:1@10"},
      {"lone CR", "Subject", " a\rb", "BARE_CR_HEADER:1@10"},
      {"CR at end", "Subject", " a\r", "BARE_CR_HEADER:1@10"},
      {"CRLF pair then fold", "Subject", " a\r\n b", "BARE_CR_HEADER:1@10"},
      {"CRLF pair then header", "Subject", " a\r\nX: y", "BARE_LF_HEADER:1@11 BARE_CR_HEADER:1@10"},
      {"NUL in value", "Subject", " a\0b"s, "NUL_HEADER:1@10"},
      {"NUL in name", "X\0A"s, " v", "NUL_HEADER:1@1"},
      {"LF in name", "X\nA", " v", "BARE_LF_HEADER:1@1"},
      {"CR in name", "X\rA", " v", "BARE_CR_HEADER:1@1"},
      {"many", "Subject", " \n\n\n", "BARE_LF_HEADER:3@9"},
  };
  for (const HeaderCase& c : cases) {
    LineEndScanner scanner;
    scanner.OnHeader(c.name, c.value);
    EXPECT_EQ(Summary(scanner.findings()), c.want) << c.what;
  }
}

TEST(BareLfScannerHeader, OffsetsAddUpAcrossHeaders) {
  LineEndScanner scanner;
  scanner.OnHeader("A", " 1");     // "A: 1\r\n" is 6 bytes
  scanner.OnHeader("B", " x\ny");  // value starts at 6 + 2, LF at index 2
  scanner.OnHeader("C", " z\nw");  // 6 + 8 = 14, LF at 14 + 2 + 2
  EXPECT_EQ(Summary(scanner.findings()), "BARE_LF_HEADER:2@10");
  EXPECT_EQ(scanner.findings()[FindingKind::kBareLfHeader].count, 2u);
}

struct BodyCase {
  std::string what;
  std::string body;
  std::string want;
};

void RunBodyCases(const std::vector<BodyCase>& cases, LineEnds line_ends) {
  for (const BodyCase& c : cases) {
    EXPECT_EQ(Summary(LineEndScanner::ScanBody(c.body, line_ends)), c.want) << c.what;
  }
}

TEST(BareLfScannerBody, CrLfLineEnds) {
  RunBodyCases(
      {
          {"empty", "", "clean"},
          {"clean lines", "hello\r\nworld\r\n", "clean"},
          {"no final line end", "hello\r\nworld", "clean"},
          {"empty lines", "\r\n\r\n\r\n", "clean"},
          {"bare LF", "a\nb", "BARE_LF_BODY:1@1"},
          {"bare LF first", "\nb", "BARE_LF_BODY:1@0"},
          {"bare LFs", "a\n\nb\n", "BARE_LF_BODY:3@1"},
          {"lone CR", "a\rb", "BARE_CR_BODY:1@1"},
          {"lone CR last byte", "a\r", "BARE_CR_BODY:1@1"},
          {"only CR", "\r", "BARE_CR_BODY:1@0"},
          {"CR CR LF", "a\r\r\n", "BARE_CR_BODY:1@1"},
          {"LF CR", "a\n\rb", "BARE_LF_BODY:1@1 BARE_CR_BODY:1@2"},
          {"NUL", "a\0b\r\n"s, "NUL_BODY:1@1"},
          {"NULs", "\0\0"s, "NUL_BODY:2@0"},
          {"dot line then text", "x\r\n.\r\nfoo\r\n", "clean"},
          {"dot line only", ".\r\n", "clean"},
          {"two dots", "..\r\n", "clean"},
          {"8-bit bytes", "caf\xc3\xa9\r\n\xff\xfe\r\n", "clean"},
      },
      LineEnds::kCrLf);
}

TEST(BareLfScannerBody, UnixLineEnds) {
  RunBodyCases(
      {
          {"clean", "a\nb\n", "clean"},
          {"dot line is ordinary", "a\n.\nb\n", "clean"},
          {"lone CR", "a\rb\n", "BARE_CR_BODY:1@1"},
          {"every CR counts", "a\r\nb", "BARE_CR_BODY:1@1"},
          {"CR last byte", "a\r", "BARE_CR_BODY:1@1"},
          {"NUL", "a\0\n"s, "NUL_BODY:1@1"},
      },
      LineEnds::kLf);
}

TEST(BareLfScannerBody, EndBodyIsFinal) {
  LineEndScanner scanner;
  scanner.OnBody("a\r");
  scanner.EndBody();
  scanner.EndBody();
  scanner.OnBody("\nMore\n");  // ignored: the body has ended
  EXPECT_EQ(Summary(scanner.findings()), "BARE_CR_BODY:1@1");
}

TEST(BareLfScannerBody, HeadersAndBodyTogether) {
  LineEndScanner scanner;
  scanner.OnHeader("Subject", " a\nB: c");
  scanner.OnBody("x\ny\r\n");
  scanner.EndBody();
  EXPECT_EQ(Summary(scanner.findings()), "BARE_LF_HEADER:1@10 BARE_LF_BODY:1@1");
  EXPECT_TRUE(scanner.findings().any_header());
  EXPECT_TRUE(scanner.findings().any_body());
}

TEST(BareLfScanner, SymbolNames) {
  const std::vector<std::pair<FindingKind, std::string>> cases = {
      {FindingKind::kBareLfHeader, "BARE_LF_HEADER"},
      {FindingKind::kBareCrHeader, "BARE_CR_HEADER"},
      {FindingKind::kNulHeader, "NUL_HEADER"},
      {FindingKind::kBareLfBody, "BARE_LF_BODY"},
      {FindingKind::kBareCrBody, "BARE_CR_BODY"},
      {FindingKind::kNulBody, "NUL_BODY"},
      {FindingKind::kSmuggling, "SMTP_SMUGGLING"},
  };
  for (const auto& [kind, want] : cases) EXPECT_EQ(FindingSymbol(kind), want);
}

}  // namespace
}  // namespace portcullis::bare_lf
