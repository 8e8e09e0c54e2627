// Minimal JSON output for the command line's --json modes: string escaping
// and number formatting. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace portcullis {

// A JSON string literal, quotes included. Bytes that are not valid UTF-8
// are escaped as \u00XX so the output is always valid JSON.
std::string JsonString(std::string_view text);
std::string JsonNumber(double value);

}  // namespace portcullis
