// LineEndScanner finds line-end anomalies and the SMTP smuggling pattern in
// one message, streamed header by header and body chunk by body chunk.
//
// RFC 5321 2.3.8: in SMTP, CR and LF occur only together as CRLF, the line
// end. RFC 5321 4.1.1.4: the DATA phase ends at CRLF "." CRLF. The SMTP
// smuggling disclosures of December 2023 (SEC Consult, CVE-2023-51764 for
// Postfix, CVE-2023-51765 for Sendmail) showed that servers disagreeing on
// lone CRs and LFs let a client hide a second message, with its own
// envelope, after a non-standard end-of-data such as LF "." CRLF. Postfix and
// Sendmail normalise line ends before a milter sees the message, so this
// scanner looks for what can still arrive: a lone CR, an LF not preceded by
// CR, NUL, header values whose folding is broken, a body line "." followed by
// lines shaped like SMTP commands, and the raw smuggling byte sequences.
//
// The scanner depends on nothing but the standard library, so the milter
// check, the offline `portcullis scan` command (raw_message_scan.h) and the
// fuzzer share it. An instance holds one message's state, is owned by its
// caller and is used by one thread at a time (no internal locking). Memory is
// bounded: besides counters it keeps the last four bytes and at most
// kMaxCommandLineBytes of the current body line, never the body.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace portcullis::bare_lf {

// What was found. Header kinds come from header names/values, body kinds from
// the body; kSmuggling is body only.
enum class FindingKind : uint8_t {
  kBareLfHeader,  // LF in a value not followed by SP/HT (broken fold), LF in a name
  kBareCrHeader,  // any CR in a header name or value
  kNulHeader,     // NUL in a header name or value
  kBareLfBody,    // LF not preceded by CR (CRLF line ends only)
  kBareCrBody,    // CR not followed by LF
  kNulBody,       // NUL in the body
  kSmuggling,     // a smuggled end-of-data (see SmugglingPattern)
};
inline constexpr size_t kFindingKindCount = 7;
inline constexpr std::array<FindingKind, kFindingKindCount> kAllFindingKinds = {
    FindingKind::kBareLfHeader, FindingKind::kBareCrHeader, FindingKind::kNulHeader,
    FindingKind::kBareLfBody,   FindingKind::kBareCrBody,   FindingKind::kNulBody,
    FindingKind::kSmuggling,
};

// The operator-visible symbol for a kind: "BARE_LF_HEADER", ..., "SMTP_SMUGGLING".
std::string_view FindingSymbol(FindingKind kind);
bool IsHeaderFinding(FindingKind kind);

// Which smuggling shape matched first (by offset).
enum class SmugglingPattern : uint8_t {
  kNone,
  kDotLineThenCommand,  // body line "." then an SMTP command within the window
  kLfDotLf,             // "\n.\n"
  kLfDotCrLf,           // "\n.\r\n" where the first LF is bare
  kCrLfDotLf,           // "\r\n.\n"
  kCrDotCr,             // "\r.\r"
};
// Printable name, e.g. "<LF>.<CR><LF>" or "'.' line then SMTP command".
std::string_view SmugglingPatternName(SmugglingPattern pattern);

struct FindingCount {
  uint64_t count = 0;
  // Smallest offset seen. Body kinds: byte offset in the body. Header kinds:
  // offset in the header block as if each header were sent as
  // name ":" value CRLF (raw scans: the byte offset in the file).
  uint64_t first_offset = 0;
  bool operator==(const FindingCount&) const = default;
};

struct ScanFindings {
  std::array<FindingCount, kFindingKindCount> kinds{};
  SmugglingPattern first_smuggling = SmugglingPattern::kNone;

  const FindingCount& operator[](FindingKind kind) const {
    return kinds[static_cast<size_t>(kind)];
  }
  bool any() const;
  bool any_header() const;
  bool any_body() const;  // bare LF/CR or NUL in the body, not smuggling
  bool operator==(const ScanFindings&) const = default;
};

// How the body's lines end. kCrLf is what the MTA hands a milter and what a
// stored message with any CRLF uses: a lone LF is a bare LF. kLf is a message
// stored with Unix line ends: LF is the line end, only CR, NUL and smuggling
// count (see raw_message_scan.h for the rule that picks one).
enum class LineEnds : uint8_t { kCrLf, kLf };

// Security: a smuggled payload puts its commands right after the hidden
// "." line; three lines leave room for an empty line and a HELO/RSET without
// letting any "." line in ordinary text arm the detector for long.
inline constexpr int kSmugglingLookaheadLines = 3;
// RFC 5321 4.5.3.1.4: a command line is at most 512 octets including CRLF.
// A body line is buffered only while the smuggling window is open and only
// up to this many bytes; a longer line is judged by that prefix, which still
// shows every command's shape (lenient servers accept longer commands, so a
// long line is not dismissed).
inline constexpr size_t kMaxCommandLineBytes = 512;

class LineEndScanner {
 public:
  explicit LineEndScanner(LineEnds line_ends = LineEnds::kCrLf);

  // One header as the MTA sends it with SMFIP_HDR_LEADSPC: the value keeps
  // its leading whitespace and folded lines are joined with a lone "\n" that
  // keeps the fold's leading SP/HT. An LF not followed by SP/HT is a broken
  // fold (a header injected into the block). Any CR is a bare CR, also in a
  // CR LF pair: the MTA strips each line's CRLF and joins folds with "\n"
  // alone, so a CR that reaches us was sent on top of a line end ("\r\r\n"),
  // which no conforming client does.
  void OnHeader(std::string_view name, std::string_view value);

  // For stored messages only: the whole header block, with its own line ends
  // and the terminating empty line, in one call. Judged by the same byte
  // rules as the body (no folding rule, no smuggling).
  void OnRawHeaderBlock(std::string_view block);

  // Body bytes in order; chunk boundaries may fall anywhere, even between a
  // CR and its LF, and the findings are the same as for one chunk.
  void OnBody(std::string_view chunk);
  // End of the body: settles a CR that was the last byte and the last
  // unterminated line. Further OnBody/EndBody calls are ignored.
  void EndBody();

  const ScanFindings& findings() const { return findings_; }

  // Convenience: a whole body in one go.
  static ScanFindings ScanBody(std::string_view body, LineEnds line_ends = LineEnds::kCrLf);

 private:
  // Byte-level state for one stream (the body, or a raw header block).
  struct Stream {
    uint64_t offset = 0;  // bytes consumed so far
    // The last four bytes; starts as the CRLF CRLF that precedes a body.
    std::array<char, 4> recent = {'\r', '\n', '\r', '\n'};
    // Current line (line ends: CR, LF or CRLF, the most lenient reading).
    uint64_t line_length = 0;
    uint64_t line_start = 0;
    char first_byte = 0;
    std::string line;  // filled only while the smuggling window is open
    // Smuggling window: lines left to check after a "." line.
    int lookahead_lines = 0;
    uint64_t dot_offset = 0;
  };
  enum class Section : uint8_t { kHeader, kBody };

  void Feed(Stream& stream, std::string_view bytes, Section section, uint64_t base);
  void FeedByte(Stream& stream, char byte, Section section, uint64_t base);
  void Flush(Stream& stream, Section section, uint64_t base);
  void EndLine(Stream& stream, uint64_t base);
  void Record(FindingKind kind, uint64_t offset,
              SmugglingPattern pattern = SmugglingPattern::kNone);

  LineEnds line_ends_;
  ScanFindings findings_;
  uint64_t header_offset_ = 0;
  Stream body_;
  bool body_ended_ = false;
};

}  // namespace portcullis::bare_lf
