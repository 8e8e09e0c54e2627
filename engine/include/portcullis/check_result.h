// What one check found in one transaction, and what it asks the gateway to do.
//
// A CheckResult is a plain value: a check fills one in at end of message (or
// earlier, for an early action) and hands it to the pipeline, which owns it
// from then on. No thread-safety concerns: values are copied or moved.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portcullis {

// The outcome vocabulary shared by all checks. Authentication checks map
// their RFC results onto these one to one; other checks use the subset that
// fits (a content check: pass or fail).
enum class CheckStatus {
  kNone,       // the check had nothing to evaluate (no record, no data)
  kPass,       // evaluated and found clean / authenticated
  kFail,       // evaluated and found bad / not authenticated
  kSoftfail,   // weak failure (SPF ~all)
  kNeutral,    // evaluated, no assertion either way
  kPolicy,     // evaluated but local policy refused to use the result
  kTemperror,  // a transient error (DNS timeout, store down); retry may help
  kPermerror,  // a permanent error (broken record, malformed input)
};

std::string_view CheckStatusName(CheckStatus status);

// One named finding. Operators see `name` (UPPER_SNAKE) in headers, logs and
// the policy, and score it in the config.
struct Symbol {
  std::string name;
  double score = 0;
  std::string detail;  // short human text, never an address for metrics
};

// What the gateway should do with the message or recipient. kNone means "no
// opinion"; kAccept from a check means "accept regardless of score" (an
// allowlist hit) and is honoured by the shipped policy.
enum class Action {
  kNone,
  kAccept,
  kReject,
  kTempfail,
  kQuarantine,
  kDiscard,
};

std::string_view ActionName(Action action);
// Parses "accept", "reject", "tempfail", "quarantine", "discard", "none".
std::optional<Action> ParseAction(std::string_view name);

// A hard outcome a check asks for. Code and enhanced code are filled with
// sensible defaults by the pipeline when left empty (550 5.7.1 / 451 4.7.1).
struct ActionRequest {
  Action action = Action::kNone;
  std::string smtp_code;      // "550"
  std::string enhanced_code;  // "5.7.1"
  std::string text;           // reply text shown to the client
  std::string reason;         // symbol or short reason for logs/quarantine
};

// One RFC 8601 method result in structured form, so that a check that
// builds on others reads facts rather than header text (DMARC reads the SPF
// result with its smtp.mailfrom, and each DKIM signature's with header.d).
struct AuthMethodResult {
  std::string method;  // "spf", "dkim", "iprev", ...
  std::string result;  // the RFC 8601 result name: "pass", "fail", ...
  // ptype.property = value pairs, e.g. {"smtp.mailfrom", "user@example.org"},
  // {"header.d", "example.org"}; values unquoted.
  std::vector<std::pair<std::string, std::string>> properties;

  // The value of `name` ("header.d"), or "" when absent.
  std::string Property(std::string_view name) const {
    for (const auto& [key, value] : properties) {
      if (key == name) return value;
    }
    return "";
  }
};

// A header a check asks to add to a delivered message (Received-SPF).
struct AddedHeader {
  std::string name;
  std::string value;  // without the leading space; folded with "\n\t" if long
  bool prepend = false;  // at the top (trace fields), else at the end
};

struct CheckResult {
  std::string check;  // filled in by the pipeline
  CheckStatus status = CheckStatus::kNone;
  std::vector<Symbol> symbols;
  std::optional<ActionRequest> request;  // hard outcome at end of message
  // RFC 8601 resinfo fragments, e.g. "spf=pass smtp.mailfrom=example.org".
  std::vector<std::string> auth_results;
  // The same results, structured (one per method result, in order).
  std::vector<AuthMethodResult> methods;
  // Added only when the message is delivered (accepted or quarantined).
  std::vector<AddedHeader> headers;
};

}  // namespace portcullis
