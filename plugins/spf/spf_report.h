// What an SPF outcome becomes in the gateway's output: the RFC 8601
// Authentication-Results fragment, the RFC 7208 9.1 Received-SPF value and
// the SMTP reply (RFC 7372 codes) for the configured action.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "portcullis/check_result.h"
#include "portcullis/ip_address.h"
#include "spf_evaluator.h"
#include "spf_options.h"

namespace portcullis::spf {

enum class Identity { kMailFrom, kHelo };

// "spf=pass (example.org: ip4:192.0.2.0/24 matched) smtp.mailfrom=user@example.org"
// or "... smtp.helo=mail.example.org" (RFC 8601 2.7.2). `identity_value` is
// the MAIL FROM address or the HELO name.
std::string AuthResultsFragment(const SpfOutcome& outcome, Identity identity,
                                std::string_view identity_value);

// RFC 7208 9.1, the field value after "Received-SPF:" (no line folding).
std::string ReceivedSpfValue(const SpfOutcome& outcome, Identity identity, const IpAddress& ip,
                             std::string_view mail_from, std::string_view helo,
                             std::string_view receiver);

// The hard outcome for a MAIL FROM result, or nullopt when the action is
// "none" (or a fail outside reject_fail_domains). Replies: fail/softfail
// 5.7.23 / 4.7.23 "SPF validation failed" (+ ": explanation"), temperror and
// permerror 5.7.24 / 4.7.24 "SPF validation error" (RFC 7372 3.2), other
// results 5.7.1 / 4.7.1.
std::optional<ActionRequest> RequestFor(const SpfOptions& options, const SpfOutcome& outcome);

// An RFC 8601 pvalue / RFC 2045 value: the text itself when it is a plain
// address or domain, else a quoted-string.
std::string PropertyValue(std::string_view text);

}  // namespace portcullis::spf
