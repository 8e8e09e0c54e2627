#include "pipeline/auth_results.h"

#include <strings.h>

namespace portcullis {
namespace {

// Skips whitespace and RFC 5322 comments, which may nest; a malformed
// comment consumes the rest (then nothing matches, which is safe: the
// header stays and does not claim our id).
size_t SkipCfws(std::string_view text, size_t pos) {
  int depth = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (depth > 0) {
      if (c == '\\') {
        ++pos;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        --depth;
      }
    } else if (c == '(') {
      depth = 1;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      break;
    }
    ++pos;
  }
  return pos;
}

}  // namespace

bool AuthResultsClaimsId(std::string_view value, std::string_view authserv_id) {
  size_t start = SkipCfws(value, 0);
  size_t end = start;
  while (end < value.size() && value[end] != ';' && value[end] != ' ' && value[end] != '\t' &&
         value[end] != '(' && value[end] != '\r' && value[end] != '\n') {
    ++end;
  }
  std::string_view id = value.substr(start, end - start);
  // A quoted authserv-id (RFC 8601 value may be a quoted-string) compares
  // by its content.
  if (id.size() >= 2 && id.front() == '"' && id.back() == '"') {
    id = id.substr(1, id.size() - 2);
  }
  return !id.empty() && id.size() == authserv_id.size() &&
         strncasecmp(id.data(), authserv_id.data(), id.size()) == 0;
}

std::string BuildAuthResults(const std::string& authserv_id,
                             const std::vector<CheckResult>& results) {
  std::vector<std::string> parts;
  for (const CheckResult& result : results) {
    for (const std::string& part : result.auth_results) parts.push_back(part);
  }
  if (parts.empty()) return authserv_id + "; none";
  std::string value = authserv_id;
  for (const std::string& part : parts) value += ";\n\t" + part;
  return value;
}

}  // namespace portcullis
