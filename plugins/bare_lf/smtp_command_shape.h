// Recognises body lines shaped like SMTP commands, the second half of the
// smuggling pattern: after a hidden end-of-data the client sends a new
// envelope (MAIL FROM:, RCPT TO:, DATA or BDAT) or session commands.
//
// Pure functions on a line without its line end; thread-safe.
#pragma once

#include <string_view>

namespace portcullis::bare_lf {

// True for MAIL FROM:..., RCPT TO:..., DATA, BDAT <n>..., EHLO/HELO <name>,
// RSET, QUIT (RFC 5321 4.1.1), case-insensitive, starting at column one,
// trailing SP/HT ignored. Deliberately strict about shape (a bare word must
// be the whole line, EHLO/HELO need an argument, BDAT a size) so that prose
// after a "." line rarely matches.
bool LooksLikeSmtpCommand(std::string_view line);

}  // namespace portcullis::bare_lf
