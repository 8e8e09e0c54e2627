// Message splitting: a raw RFC 5322 message into what an MTA sends a milter.
//
// Postfix hands a milter each header as (name, value) with folded lines
// joined by "\n" (the continuation keeps its leading whitespace) and the body
// with CRLF line ends. Whether the blank after the colon is part of the value
// depends on SMFIP_HDR_LEADSPC, so SplitMessage() keeps it and
// WireHeaderValue() strips it per connection. Also holds the Envelope that
// SendMessage() uses. Pure functions over values; thread-safe.
#ifndef PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_MESSAGE_H_
#define PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_MESSAGE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portcullis::milterclient {

// Macro name/value pairs, e.g. {"i", "4AbCdE"} or {"{auth_type}", "PLAIN"}.
using Macros = std::vector<std::pair<std::string, std::string>>;

struct Envelope {
  std::string client_hostname = "mail.example.org";
  std::string client_ip = "192.0.2.10";  // "" = unknown family, "/x" = unix.
  uint16_t client_port = 40000;
  std::string helo = "mail.example.org";
  std::string mail_from = "<sender@example.org>";  // Postfix sends brackets.
  std::vector<std::string> mail_args;               // ESMTP args, e.g. SIZE=.
  std::vector<std::string> rcpt_to = {"<rcpt@example.net>"};
  Macros connect_macros, helo_macros, mail_macros, rcpt_macros, data_macros, eoh_macros,
      eom_macros;
};

struct MessageHeader {
  std::string name;
  std::string value;  // Everything after the colon, folds joined with "\n".
};

struct ParsedMessage {
  std::vector<MessageHeader> headers;
  std::string body;  // CRLF line ends.
};

// Splits at the first empty line. Accepts LF or CRLF input, drops a leading
// mbox "From " line, and treats a line without a colon in the header block
// as the start of the body (the way Postfix's cleanup does).
ParsedMessage SplitMessage(std::string_view raw);

// The value as sent on the wire: unchanged with SMFIP_HDR_LEADSPC, otherwise
// with leading blanks (space/tab) after the colon removed.
std::string WireHeaderValue(const std::string& value, bool leading_space);

}  // namespace portcullis::milterclient

#endif  // PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_MESSAGE_H_
