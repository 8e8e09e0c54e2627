// Turns the retrieved answers of one message into the uribl CheckResult.
//
//   symbols  each list's rule symbols, each name once per list, detail
//            "<zone> <subject>(<code>), ..." (e.g. "multi.surbl.org
//            phish.example(127.0.0.8)"); URIBL_ERROR once per list that
//            answered an error code (127.255.255.x, non-127 answers), failed
//            or timed out, detail "<zone>: <reason> (<subject>)";
//            URIBL_LIMIT once when max_lookups left subjects unasked
//   status   fail if any list hit; else temperror if some answer was an
//            error; else pass if something was asked; else none
//   request  reject (5xx, text naming the list and the domain) when a list
//            with action = "reject" hit
//
// Pure function; thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "dnsbl_answer.h"
#include "portcullis/check_result.h"
#include "uribl_config.h"
#include "uribl_lookups.h"

namespace portcullis::uribl {

struct Retrieved {
  const Lookup* lookup = nullptr;
  std::optional<dnsbl::ListAnswer> answer;  // nullopt: no answer by the deadline
};

// `skipped`: subjects not asked because of max_lookups.
CheckResult BuildUriblResult(const UriblConfig& config, const std::vector<Retrieved>& retrieved,
                             int skipped);

}  // namespace portcullis::uribl
