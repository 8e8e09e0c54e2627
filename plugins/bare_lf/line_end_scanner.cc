#include "line_end_scanner.h"

#include <cstring>

#include "line_end_bytes.h"
#include "smtp_command_shape.h"

namespace portcullis::bare_lf {

std::string_view FindingSymbol(FindingKind kind) {
  switch (kind) {
    case FindingKind::kBareLfHeader: return "BARE_LF_HEADER";
    case FindingKind::kBareCrHeader: return "BARE_CR_HEADER";
    case FindingKind::kNulHeader: return "NUL_HEADER";
    case FindingKind::kBareLfBody: return "BARE_LF_BODY";
    case FindingKind::kBareCrBody: return "BARE_CR_BODY";
    case FindingKind::kNulBody: return "NUL_BODY";
    case FindingKind::kSmuggling: return "SMTP_SMUGGLING";
  }
  return "SMTP_SMUGGLING";
}

bool IsHeaderFinding(FindingKind kind) {
  return kind == FindingKind::kBareLfHeader || kind == FindingKind::kBareCrHeader ||
         kind == FindingKind::kNulHeader;
}

std::string_view SmugglingPatternName(SmugglingPattern pattern) {
  switch (pattern) {
    case SmugglingPattern::kNone: return "none";
    case SmugglingPattern::kDotLineThenCommand: return "'.' line then SMTP command";
    case SmugglingPattern::kLfDotLf: return "<LF>.<LF>";
    case SmugglingPattern::kLfDotCrLf: return "<LF>.<CR><LF>";
    case SmugglingPattern::kCrLfDotLf: return "<CR><LF>.<LF>";
    case SmugglingPattern::kCrDotCr: return "<CR>.<CR>";
  }
  return "none";
}

bool ScanFindings::any() const {
  return any_header() || any_body() || (*this)[FindingKind::kSmuggling].count > 0;
}

bool ScanFindings::any_header() const {
  return (*this)[FindingKind::kBareLfHeader].count > 0 ||
         (*this)[FindingKind::kBareCrHeader].count > 0 ||
         (*this)[FindingKind::kNulHeader].count > 0;
}

bool ScanFindings::any_body() const {
  return (*this)[FindingKind::kBareLfBody].count > 0 ||
         (*this)[FindingKind::kBareCrBody].count > 0 || (*this)[FindingKind::kNulBody].count > 0;
}

LineEndScanner::LineEndScanner(LineEnds line_ends) : line_ends_(line_ends) {}

ScanFindings LineEndScanner::ScanBody(std::string_view body, LineEnds line_ends) {
  LineEndScanner scanner(line_ends);
  scanner.OnBody(body);
  scanner.EndBody();
  return scanner.findings();
}

void LineEndScanner::Record(FindingKind kind, uint64_t offset, SmugglingPattern pattern) {
  FindingCount& found = findings_.kinds[static_cast<size_t>(kind)];
  // Keep the smallest offset: the order in which findings are settled is not
  // the order of their offsets (a "." line is judged lines later).
  if (found.count == 0 || offset < found.first_offset) {
    found.first_offset = offset;
    if (kind == FindingKind::kSmuggling) findings_.first_smuggling = pattern;
  }
  ++found.count;
}

void LineEndScanner::OnHeader(std::string_view name, std::string_view value) {
  const uint64_t base = header_offset_;
  for (size_t i = FindLineEndByte(name.data(), name.size()); i < name.size();
       i += 1 + FindLineEndByte(name.data() + i + 1, name.size() - i - 1)) {
    // The MTA never puts these in a name; if one does, it came from the client.
    if (name[i] == '\0') Record(FindingKind::kNulHeader, base + i);
    if (name[i] == '\r') Record(FindingKind::kBareCrHeader, base + i);
    if (name[i] == '\n') Record(FindingKind::kBareLfHeader, base + i);
  }
  const uint64_t value_base = base + name.size() + 1;  // after "name:"
  for (size_t i = FindLineEndByte(value.data(), value.size()); i < value.size();
       i += 1 + FindLineEndByte(value.data() + i + 1, value.size() - i - 1)) {
    const char c = value[i];
    if (c == '\0') {
      Record(FindingKind::kNulHeader, value_base + i);
    } else if (c == '\r') {
      Record(FindingKind::kBareCrHeader, value_base + i);
    } else {
      // RFC 5322 2.2.3: a fold is a line end followed by WSP. The MTA joins
      // folds with "\n" and keeps the WSP; an LF followed by anything else
      // (or nothing) would start a new header for an LF-tolerant reader.
      const bool fold = i + 1 < value.size() && (value[i + 1] == ' ' || value[i + 1] == '\t');
      if (!fold) Record(FindingKind::kBareLfHeader, value_base + i);
    }
  }
  header_offset_ = value_base + value.size() + 2;  // CRLF
}

void LineEndScanner::OnRawHeaderBlock(std::string_view block) {
  Stream stream;
  Feed(stream, block, Section::kHeader, header_offset_);
  Flush(stream, Section::kHeader, header_offset_);
  header_offset_ += block.size();
}

void LineEndScanner::OnBody(std::string_view chunk) {
  if (body_ended_) return;
  Feed(body_, chunk, Section::kBody, 0);
}

void LineEndScanner::EndBody() {
  if (body_ended_) return;
  Flush(body_, Section::kBody, 0);
  body_ended_ = true;
}

void LineEndScanner::Feed(Stream& stream, std::string_view bytes, Section section, uint64_t base) {
  size_t i = 0;
  while (i < bytes.size()) {
    // Fastest path, at a line start: skip whole plain CRLF lines at once.
    // They hold nothing the rules below would record, and leave the state
    // as it is but for the offset and the last bytes seen.
    if (section == Section::kBody && line_ends_ == LineEnds::kCrLf && stream.line_length == 0 &&
        stream.lookahead_lines == 0 && stream.recent[2] == '\r' && stream.recent[3] == '\n') {
      const size_t plain = PlainCrLfLinesPrefix(bytes.data() + i, bytes.size() - i);
      if (plain > 0) {
        const size_t keep = plain >= stream.recent.size() ? 0 : stream.recent.size() - plain;
        std::array<char, 4> recent{};
        for (size_t k = 0; k < keep; ++k) recent[k] = stream.recent[stream.recent.size() - keep + k];
        std::memcpy(recent.data() + keep, bytes.data() + i + plain - (recent.size() - keep),
                    recent.size() - keep);
        stream.recent = recent;
        stream.offset += plain;
        i += plain;
        continue;
      }
    }
    // Fast path for the common case, the middle of an ordinary body line:
    // bytes other than CR, LF and NUL only lengthen the line, so skip the run
    // at once. Not while a CR awaits its LF, a line's first byte is pending
    // or the smuggling window wants the line's text.
    if (section == Section::kBody && stream.line_length > 0 && stream.lookahead_lines == 0 &&
        stream.recent[3] != '\r') {
      const char* start = bytes.data() + i;
      const size_t run = FindLineEndByte(start, bytes.size() - i);
      const size_t end = i + run;
      if (run > 0) {
        if (run >= stream.recent.size()) {
          std::memcpy(stream.recent.data(), start + run - stream.recent.size(), stream.recent.size());
        } else {
          for (size_t k = 0; k < run; ++k) {
            stream.recent = {stream.recent[1], stream.recent[2], stream.recent[3], start[k]};
          }
        }
        stream.line_length += run;
        stream.offset += run;
        i = end;
        // The usual line end: CRLF and an ordinary first byte of the next
        // line, which is exactly what FeedByte would conclude for the three
        // bytes. The line has at least two bytes (line_length was > 0
        // before the run), so it is no "." line and no smuggling sequence
        // can end here.
        if (line_ends_ == LineEnds::kCrLf && i + 2 < bytes.size() && bytes[i] == '\r' &&
            bytes[i + 1] == '\n' && bytes[i + 2] != '\r' && bytes[i + 2] != '\n' &&
            bytes[i + 2] != '\0') {
          stream.recent = {stream.recent[3], '\r', '\n', bytes[i + 2]};
          stream.line_start = stream.offset + 2;
          stream.first_byte = bytes[i + 2];
          stream.line_length = 1;
          stream.offset += 3;
          i += 3;
        }
        continue;
      }
    }
    FeedByte(stream, bytes[i++], section, base);
  }
}

void LineEndScanner::Flush(Stream& stream, Section section, uint64_t base) {
  const bool body = section == Section::kBody;
  // A CR as the very last byte has no LF after it.
  if (line_ends_ == LineEnds::kCrLf && stream.offset > 0 && stream.recent[3] == '\r') {
    Record(body ? FindingKind::kBareCrBody : FindingKind::kBareCrHeader, base + stream.offset - 1);
  }
  if (body && stream.line_length > 0) EndLine(stream, base);
}

void LineEndScanner::FeedByte(Stream& stream, char byte, Section section, uint64_t base) {
  const bool body = section == Section::kBody;
  const bool crlf = line_ends_ == LineEnds::kCrLf;
  const uint64_t at = base + stream.offset;
  // Offset `n` bytes back; a sequence may begin in the CRLF CRLF that
  // precedes the body, and is then reported at the body's first byte.
  auto back = [at](uint64_t n) { return at >= n ? at - n : 0; };
  const std::array<char, 4> r = stream.recent;  // r[3] is the previous byte

  // RFC 5321 2.3.8: CR only as the first half of CRLF. With CRLF line ends a
  // CR is settled by the byte after it (which may be in the next chunk); with
  // Unix line ends there is no CRLF at all, so every CR is lone.
  if (crlf && r[3] == '\r' && byte != '\n') {
    Record(body ? FindingKind::kBareCrBody : FindingKind::kBareCrHeader, at - 1);
  }

  switch (byte) {
    case '\0': Record(body ? FindingKind::kNulBody : FindingKind::kNulHeader, at); break;
    case '\r':
      if (!crlf) Record(body ? FindingKind::kBareCrBody : FindingKind::kBareCrHeader, at);
      // Smuggling disclosures (Dec 2023): CR "." CR ends data on servers that
      // take a lone CR as a line end.
      if (body && r[3] == '.' && r[2] == '\r') {
        Record(FindingKind::kSmuggling, back(2), SmugglingPattern::kCrDotCr);
      }
      break;
    case '\n':
      if (crlf && r[3] != '\r') {
        Record(body ? FindingKind::kBareLfBody : FindingKind::kBareLfHeader, at);
      }
      // Smuggling disclosures (Dec 2023): end-of-data sequences with a bare
      // LF on either side of the dot. With Unix line ends "\n.\n" is an
      // ordinary "." line and is left to the line rule below.
      if (body && crlf) {
        if (r[3] == '.' && r[2] == '\n') {
          if (r[1] == '\r') {
            Record(FindingKind::kSmuggling, back(3), SmugglingPattern::kCrLfDotLf);
          } else {
            Record(FindingKind::kSmuggling, back(2), SmugglingPattern::kLfDotLf);
          }
        } else if (r[3] == '\r' && r[2] == '.' && r[1] == '\n' && r[0] != '\r') {
          Record(FindingKind::kSmuggling, back(3), SmugglingPattern::kLfDotCrLf);
        }
      }
      break;
    default: break;
  }

  if (body) {
    // Lines for the "." rule end at CR, LF or CRLF: the most lenient reading
    // any receiver might apply, which is the one smuggling exploits.
    if (byte == '\r' || byte == '\n') {
      if (!(byte == '\n' && r[3] == '\r')) EndLine(stream, base);
    } else {
      if (stream.line_length == 0) {
        stream.line_start = stream.offset;
        stream.first_byte = byte;
      }
      ++stream.line_length;
      if (stream.lookahead_lines > 0) {
        if (stream.line.size() < kMaxCommandLineBytes) stream.line.push_back(byte);
      }
    }
  }

  stream.recent = {r[1], r[2], r[3], byte};
  ++stream.offset;
}

void LineEndScanner::EndLine(Stream& stream, uint64_t base) {
  if (stream.lookahead_lines > 0) {
    if (LooksLikeSmtpCommand(stream.line)) {
      Record(FindingKind::kSmuggling, base + stream.dot_offset,
             SmugglingPattern::kDotLineThenCommand);
      stream.lookahead_lines = 0;
    } else {
      --stream.lookahead_lines;
    }
  }
  // RFC 5321 4.5.2: the MTA removed one leading "." from every line, so a
  // line "." here was sent as ".." (harmless) or hid an end of data behind
  // non-standard line ends; the commands after it tell the two apart.
  if (stream.line_length == 1 && stream.first_byte == '.') {
    stream.dot_offset = stream.line_start;
    stream.lookahead_lines = kSmugglingLookaheadLines;
  }
  stream.line_length = 0;
  stream.line.clear();
}

}  // namespace portcullis::bare_lf
