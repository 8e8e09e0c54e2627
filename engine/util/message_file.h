// Splits a stored RFC 5322 message (a .eml file) into what an MTA would hand
// a milter: header fields and a body with CRLF line ends.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portcullis/transaction_info.h"

namespace portcullis {

struct MessageParts {
  // Values as Postfix sends them with SMFIP_HDR_LEADSPC: everything after
  // the colon (leading space kept), folded lines joined with "\n".
  std::vector<HeaderField> headers;
  std::string body;  // CRLF line ends, as the MTA delivers it
  bool header_block_malformed = false;  // a line that is neither field nor fold
};

// A stored file may use LF or CRLF: either ends a line, as an MTA would
// treat it, and the body is re-terminated with CRLF.
MessageParts SplitMessageFile(std::string_view raw);

}  // namespace portcullis
