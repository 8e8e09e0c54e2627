// The read-only view of an SMTP session and its current message that the
// pipeline gives to checks at every stage.
//
// Owned by the pipeline's Session; a check receives a const reference that is
// valid only during the call. One connection's stages are delivered one at a
// time (libmilter serialises a connection's callbacks even when they run on
// different pool threads), so no locking is needed to read it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "portcullis/check_result.h"
#include "portcullis/deadline.h"
#include "portcullis/ip_address.h"

namespace portcullis {

// Facts about the SMTP client, fixed for the whole connection except HELO.
struct ConnectionInfo {
  std::string client_name;  // reverse name the MTA verified, or "unknown"
  std::string client_addr_text;
  std::optional<IpAddress> client_addr;  // absent for unix/local connections
  uint16_t client_port = 0;
  std::string helo;         // last HELO/EHLO argument
  std::string daemon_name;  // MTA's {daemon_name}
};

// One received header as the MTA sent it: with SMFIP_HDR_LEADSPC the value
// keeps its leading whitespace and folded lines are joined with "\n".
struct HeaderField {
  std::string name;
  std::string value;
};

// The current message's envelope; reset for each message on a connection.
struct MessageInfo {
  std::string queue_id;     // {i}, may be known only late
  std::string mail_from;    // without angle brackets; empty for <>
  std::vector<std::string> recipients;  // accepted so far, no brackets
  std::string auth_authen;  // SMTP AUTH user, empty when unauthenticated
  // Headers seen so far (bounded by the header limits in the config).
  std::vector<HeaderField> headers;
  // Returns the first header with this name (case-insensitive), if any.
  const HeaderField* FindHeader(std::string_view name) const;
};

// Results that checks whose verdict rests on the envelope alone (SPF,
// DNSBL) can give before end of message, for a check that decides at RCPT TO
// (greylisting skips clients that SPF or a DNS allowlist vouch for).
class EarlyResults {
 public:
  virtual ~EarlyResults() = default;
  // The result check `check` can give now, waiting for its outstanding work
  // no later than `deadline`; null when that check is not enabled, gives no
  // early result, or has not finished by then. The pointer stays valid until
  // the end of the message. Only checks the caller names in Check::after()
  // are asked.
  virtual const CheckResult* Get(std::string_view check, Deadline deadline) = 0;
};

struct TransactionInfo {
  const ConnectionInfo& connection;
  const MessageInfo& message;
  // Macros the MTA sent, by name without braces ("client_addr", "i").
  const std::unordered_map<std::string, std::string>& macros;
  // At end of message only: the results of the checks that finished before
  // this one, in order (a check names those it reads in Check::after(), and
  // the engine finishes them first). Null at every other stage.
  const std::vector<CheckResult>* finished = nullptr;
  // From MAIL FROM to end of message: early results (see EarlyResults).
  // Null at other stages and in offline scans.
  EarlyResults* early = nullptr;

  // The finished result of the check named `check`, or null.
  const CheckResult* FinishedResult(std::string_view check) const {
    if (!finished) return nullptr;
    for (const CheckResult& result : *finished) {
      if (result.check == check) return &result;
    }
    return nullptr;
  }
};

// Domain part of an address ("user@Example.ORG" -> "example.org"), lower-case.
std::string AddressDomain(std::string_view address);
std::string ToLower(std::string_view text);
// ASCII case-insensitive comparison (header names, domains), no allocation.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace portcullis
