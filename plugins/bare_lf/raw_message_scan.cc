#include "raw_message_scan.h"

namespace portcullis::bare_lf {
namespace {

// Length of the header block: up to and including the first empty line (an
// LF directly followed by LF or CRLF), or the whole input when there is none.
uint64_t HeaderBlockLength(std::string_view bytes, bool* has_body) {
  *has_body = false;
  // A message that starts with an empty line has no headers at all.
  if (bytes.starts_with("\r\n")) {
    *has_body = true;
    return 2;
  }
  if (bytes.starts_with("\n")) {
    *has_body = true;
    return 1;
  }
  for (size_t lf = bytes.find('\n'); lf != std::string_view::npos; lf = bytes.find('\n', lf + 1)) {
    std::string_view rest = bytes.substr(lf + 1);
    if (rest.starts_with("\n")) {
      *has_body = true;
      return lf + 2;
    }
    if (rest.starts_with("\r\n")) {
      *has_body = true;
      return lf + 3;
    }
  }
  return bytes.size();
}

}  // namespace

RawScanReport ScanRawMessage(std::string_view bytes) {
  RawScanReport report;
  report.line_ends = bytes.find("\r\n") != std::string_view::npos ? LineEnds::kCrLf : LineEnds::kLf;
  report.header_bytes = HeaderBlockLength(bytes, &report.has_body);

  LineEndScanner scanner(report.line_ends);
  scanner.OnRawHeaderBlock(bytes.substr(0, report.header_bytes));
  scanner.OnBody(bytes.substr(report.header_bytes));
  scanner.EndBody();
  report.findings = scanner.findings();

  // The scanner counts body offsets from the body's first byte.
  for (FindingKind kind : kAllFindingKinds) {
    FindingCount& found = report.findings.kinds[static_cast<size_t>(kind)];
    if (!IsHeaderFinding(kind) && found.count > 0) found.first_offset += report.header_bytes;
  }
  return report;
}

std::string FormatRawScanReport(const RawScanReport& report) {
  std::string out = "line ends: ";
  out += report.line_ends == LineEnds::kCrLf ? "CRLF\n" : "LF\n";
  if (!report.findings.any()) return out + "clean\n";
  for (FindingKind kind : kAllFindingKinds) {
    const FindingCount& found = report.findings[kind];
    if (found.count == 0) continue;
    out += std::string(FindingSymbol(kind)) + ": " + std::to_string(found.count) +
           " (first at byte " + std::to_string(found.first_offset);
    if (kind == FindingKind::kSmuggling) {
      out += ", " + std::string(SmugglingPatternName(report.findings.first_smuggling));
    }
    out += ")\n";
  }
  return out;
}

}  // namespace portcullis::bare_lf
