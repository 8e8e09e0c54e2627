// Making text from DNS and clients safe for where SPF results go: SMTP
// replies, header comments, JSON and log details.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace portcullis::spf {

// Security: every byte outside printable ASCII (0x20-0x7e) becomes '?', and
// the text is cut at `max_length` bytes. Explanations come from whoever
// publishes the sender's DNS (RFC 7208 6.2 limits them to US-ASCII).
std::string PrintableAscii(std::string_view text, size_t max_length);

// The content of an RFC 5322 comment: printable ASCII with "(", ")" and "\"
// escaped as quoted-pairs (RFC 5322 3.2.2), cut at `max_length`.
std::string CommentText(std::string_view text, size_t max_length);

// A JSON string literal with its quotes (RFC 8259 7): control characters as
// \u00XX, non-ASCII bytes passed through (callers pass ASCII).
std::string JsonString(std::string_view text);

}  // namespace portcullis::spf
