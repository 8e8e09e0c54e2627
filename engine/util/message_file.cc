#include "util/message_file.h"

namespace portcullis {
namespace {

// Takes one line (without its LF or CRLF) from `raw` at `pos`.
std::string_view NextLine(std::string_view raw, size_t* pos) {
  size_t start = *pos;
  size_t end = raw.find('\n', start);
  if (end == std::string_view::npos) {
    *pos = raw.size();
    return raw.substr(start);
  }
  *pos = end + 1;
  std::string_view line = raw.substr(start, end - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// RFC 5322 2.2: a field name is printable US-ASCII except the colon. A line
// whose "name" is anything else is not a header (as Postfix's cleanup
// decides too), which also keeps CR and other controls out of names.
bool IsFieldName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c < 33 || c > 126) return false;
  }
  return true;
}

}  // namespace

MessageParts SplitMessageFile(std::string_view raw) {
  MessageParts parts;
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t line_start = pos;
    std::string_view line = NextLine(raw, &pos);
    if (line.empty()) break;  // end of the header block
    if ((line.front() == ' ' || line.front() == '\t') && !parts.headers.empty()) {
      parts.headers.back().value += "\n";
      parts.headers.back().value += line;
      continue;
    }
    size_t colon = line.find(':');
    std::string_view name =
        colon == std::string_view::npos ? std::string_view() : line.substr(0, colon);
    // Whitespace between the name and the colon is obsolete syntax
    // (RFC 5322 4.5.4) that MTAs still accept.
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    if (!IsFieldName(name)) {
      // Not a header: what follows is body (as Postfix does with a
      // malformed header block).
      parts.header_block_malformed = true;
      pos = line_start;
      break;
    }
    parts.headers.push_back({std::string(name), std::string(line.substr(colon + 1))});
  }
  while (pos < raw.size()) {
    std::string_view line = NextLine(raw, &pos);
    parts.body.append(line);
    parts.body.append("\r\n");
  }
  return parts;
}

}  // namespace portcullis
