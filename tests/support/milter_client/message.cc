#include "message.h"

namespace portcullis::milterclient {
namespace {

// Returns the next line without its terminator (LF or CRLF) and advances.
std::string_view NextLine(std::string_view* rest, bool* had_newline) {
  const size_t nl = rest->find('\n');
  std::string_view line = rest->substr(0, nl);
  *had_newline = nl != std::string_view::npos;
  rest->remove_prefix(*had_newline ? nl + 1 : rest->size());
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

ParsedMessage SplitMessage(std::string_view raw) {
  ParsedMessage message;
  std::string_view rest = raw;
  bool had_newline = false;
  if (rest.rfind("From ", 0) == 0) NextLine(&rest, &had_newline);

  std::string_view body_start = rest;
  while (!rest.empty()) {
    const std::string_view before = rest;
    const std::string_view line = NextLine(&rest, &had_newline);
    if (line.empty()) {  // End of headers; body follows the blank line.
      body_start = rest;
      break;
    }
    if (IsBlank(line.front()) && !message.headers.empty()) {
      message.headers.back().value.append("\n").append(line);
      body_start = rest;
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      body_start = before;  // Not a header: the body starts here.
      break;
    }
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && IsBlank(name.back())) name.remove_suffix(1);
    message.headers.push_back({std::string(name), std::string(line.substr(colon + 1))});
    body_start = rest;
  }

  // Re-terminate every body line with CRLF, as the MTA transmits it.
  std::string_view body = body_start;
  message.body.reserve(body.size() + body.size() / 40);
  while (!body.empty()) {
    const std::string_view line = NextLine(&body, &had_newline);
    // Postfix stores lines as records, so even an unterminated last line
    // goes out with CRLF.
    message.body.append(line).append("\r\n");
  }
  return message;
}

std::string WireHeaderValue(const std::string& value, bool leading_space) {
  if (leading_space) return value;
  size_t start = 0;
  while (start < value.size() && IsBlank(value[start])) ++start;
  return value.substr(start);
}

}  // namespace portcullis::milterclient
