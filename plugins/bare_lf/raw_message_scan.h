// Bare line feed findings for a message stored on disk (an .eml file, a
// Maildir entry), for the offline `portcullis scan` command, which has no
// MTA to normalise line ends first.
//
// Which line ends count as normal is decided per file:
//   - the file contains at least one CRLF: it keeps SMTP line ends (RFC 5321
//     2.3.8), so a lone LF is a bare LF, a lone CR is a bare CR, and the raw
//     smuggling sequences ("\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r") count;
//   - the file contains no CRLF at all: it was stored with Unix line ends, so
//     LF is the line end and only a lone CR, NUL and smuggling ("\r.\r", a
//     body line "." followed by SMTP commands) count.
// The header block is everything up to and including the first empty line;
// its findings are *_HEADER, the rest are *_BODY. A stored message is not
// dot-stuffed, so a body line "." is judged like one the MTA unstuffed.
// Offsets in the findings are byte offsets in the file.
//
// Pure functions over caller-owned bytes; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "line_end_scanner.h"

namespace portcullis::bare_lf {

struct RawScanReport {
  LineEnds line_ends = LineEnds::kCrLf;  // the convention the file was judged by
  uint64_t header_bytes = 0;             // header block length incl. the empty line
  bool has_body = false;                 // an empty line separated a body
  ScanFindings findings;
};

RawScanReport ScanRawMessage(std::string_view bytes);

// One line per finding, e.g.
//   line ends: CRLF
//   BARE_LF_BODY: 2 (first at byte 1234)
//   SMTP_SMUGGLING: 1 (first at byte 2040, <LF>.<CR><LF>)
// or "line ends: LF" and "clean" when nothing was found.
std::string FormatRawScanReport(const RawScanReport& report);

}  // namespace portcullis::bare_lf
