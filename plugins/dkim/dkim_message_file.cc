#include "dkim_message_file.h"

namespace portcullis::dkim {
namespace {

std::string ToCrlf(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + raw.size() / 32);
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) out.push_back('\r');
    out.push_back(raw[i]);
  }
  return out;
}

}  // namespace

StoredMessage ParseStoredMessage(std::string_view raw) {
  StoredMessage message;
  const std::string text = ToCrlf(raw);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find("\r\n", pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = std::string_view(text).substr(pos, end - pos);
    pos = end + 2 > text.size() ? text.size() : end + 2;
    if (line.empty()) break;  // end of the header section
    if ((line[0] == ' ' || line[0] == '\t')) {
      // A fold: the MTA joins it to the field with a bare "\n".
      if (!message.headers.empty()) {
        message.headers.back().value += "\n";
        message.headers.back().value += line;
      }
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    message.headers.push_back(
        HeaderField{std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
  }
  if (pos < text.size()) message.body = text.substr(pos);
  return message;
}

}  // namespace portcullis::dkim
