// Content-Type and Content-Disposition values with their parameters
// (RFC 2045 5.1, RFC 2183, RFC 2231). Pure functions, any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace portcullis::mime {

struct StructuredValue {
  std::string value;  // lower-case: "text/plain", "attachment"; "" when absent or malformed
  // Parameter names lower-case; values unquoted, RFC 2231 continuations
  // joined and extended values converted to UTF-8.
  std::map<std::string, std::string> params;
  bool bad_charset = false;  // an RFC 2231 charset we cannot convert
};

// Parses `value; name=value; ...` from an unfolded header value: comments
// "(...)" (nested) skipped, quoted strings with backslash escapes, names
// case-insensitive, RFC 2231 name*=charset'lang'%XX and name*0=, name*1*=.
// Malformed parameters are skipped; the first occurrence of a name wins.
StructuredValue ParseStructuredValue(std::string_view text);

// RFC 2045 5.1: true when `value` is type "/" subtype, both tokens.
bool IsMediaType(std::string_view value);

}  // namespace portcullis::mime
