// A stored message (an .eml file) turned into what the MTA would hand a
// milter: header fields in the HeaderField representation (value after the
// colon with its leading whitespace, folds joined with a bare "\n") and
// the body with CRLF line ends. Used by `portcullis dkim-verify` and tests.
//
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portcullis/transaction_info.h"

namespace portcullis::dkim {

struct StoredMessage {
  std::vector<HeaderField> headers;
  std::string body;  // CRLF line ends
};

// A lone LF becomes CRLF first, as an MTA does on receipt (RFC 5321 2.3.8).
// The header section ends at the first empty line; a line that is not a
// field and not a continuation is dropped (an MTA would not pass it either).
StoredMessage ParseStoredMessage(std::string_view raw);

}  // namespace portcullis::dkim
