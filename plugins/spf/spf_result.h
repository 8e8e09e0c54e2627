// The seven results of SPF's check_host() (RFC 7208 2.6) and their names.
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "portcullis/check_result.h"

namespace portcullis::spf {

enum class SpfResult {
  kNone,       // 2.6.1: no syntactically valid domain, or no SPF record
  kNeutral,    // 2.6.2: the domain makes no assertion ("?" or no match)
  kPass,       // 2.6.3: the client is authorized
  kFail,       // 2.6.4: the client is explicitly not authorized ("-")
  kSoftfail,   // 2.6.5: probably not authorized ("~")
  kTemperror,  // 2.6.6: transient DNS error
  kPermerror,  // 2.6.7: the published records could not be interpreted
};

inline constexpr int kResultCount = 7;

// "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror".
std::string_view ResultName(SpfResult result);
// "NONE", ... for symbols (SPF_FAIL, SPF_HELO_FAIL).
std::string_view ResultSymbolSuffix(SpfResult result);
std::optional<SpfResult> ParseResultName(std::string_view name);
// One to one onto the engine's shared vocabulary.
CheckStatus ToCheckStatus(SpfResult result);

}  // namespace portcullis::spf
