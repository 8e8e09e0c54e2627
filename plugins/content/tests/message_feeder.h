// Runs a whole message (.eml text) through a CheckInstance the way the
// engine does: each header to OnHeader and the MIME parser, the body in
// chunks to OnBody and the parser, the parser's events to the instance's
// MimeSink. Test-only; needs engine/mime/mime_parser.h.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "mime/mime_parser.h"
#include "portcullis/check.h"

namespace portcullis::content::testing {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Splits `message` into unfolded-as-sent headers and the body, the body with
// CRLF line ends (what the MTA passes on).
inline void SplitMessage(const std::string& message,
                         std::vector<std::pair<std::string, std::string>>* headers,
                         std::string* body) {
  size_t pos = 0;
  while (pos < message.size()) {
    size_t end = message.find('\n', pos);
    if (end == std::string::npos) end = message.size();
    std::string line = message.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos = end + 1;
    if (line.empty()) break;
    if ((line[0] == ' ' || line[0] == '\t') && !headers->empty()) {
      headers->back().second += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    headers->emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  body->clear();
  for (; pos < message.size(); ++pos) {
    if (message[pos] == '\n' && (pos == 0 || message[pos - 1] != '\r')) *body += '\r';
    *body += message[pos];
  }
}

// Feeds `message` to `instance` in body chunks of `chunk` bytes and
// returns its result.
inline CheckResult RunMessage(CheckInstance& instance, const std::string& message,
                              size_t chunk = 4096) {
  ConnectionInfo connection;
  MessageInfo message_info;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info{connection, message_info, macros};
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  SplitMessage(message, &headers, &body);
  mime::Sink* sink = instance.MimeSink();
  mime::Sink ignore;
  MimeParser parser(mime::Limits{}, sink ? sink : &ignore, nullptr);
  for (const auto& [name, value] : headers) {
    instance.OnHeader(info, name, value);
    parser.Header(name, value);
  }
  parser.EndOfHeaders();
  instance.OnEndOfHeaders(info);
  for (size_t pos = 0; pos < body.size(); pos += chunk) {
    std::string_view piece = std::string_view(body).substr(pos, chunk);
    instance.OnBody(info, piece);
    parser.Body(piece);
  }
  parser.End();
  return instance.Finish(info, Deadline::Never());
}

}  // namespace portcullis::content::testing
