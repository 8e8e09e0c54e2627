// Validation of SMTP reply parts that checks, the policy and the config put
// into replies: the basic code (RFC 5321 4.2), the enhanced status code
// (RFC 3463) and the text. One definition for the engine and every plugin.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace portcullis {

// Security: reply text goes verbatim into the SMTP reply; RFC 5321
// 4.5.3.1.5 caps a reply line at 512 octets including the codes.
inline constexpr size_t kMaxReplyText = 400;

// Three digits, the first `reply_class` ('4' or '5'), the second 0-5.
bool IsReplyCode(std::string_view code, char reply_class);
// class.subject.detail with 1-3 digit subject and detail, class matching.
bool IsEnhancedStatusCode(std::string_view code, char reply_class);
// Non-empty, at most kMaxReplyText, printable (no CR, LF or other controls).
bool IsSafeReplyText(std::string_view text);

}  // namespace portcullis
