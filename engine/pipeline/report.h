// The Report: everything the checks found for one message, handed to the
// policy, and the Verdict the policy returns.
//
// Plain values owned by the Session of one connection; single-threaded.
#pragma once

#include <string>
#include <vector>

#include "portcullis/check_result.h"
#include "portcullis/transaction_info.h"

namespace portcullis {

struct Report {
  std::vector<CheckResult> results;  // one per enabled check, config order
  double score = 0;                  // sum of all symbol scores
  // Hard outcomes requested by checks, in the order they were asked for.
  std::vector<std::pair<std::string, ActionRequest>> requests;
};

struct Verdict {
  Action action = Action::kAccept;
  std::string smtp_code;      // reject/tempfail only
  std::string enhanced_code;  // reject/tempfail only
  std::string text;           // reject/tempfail only
  std::string reason;         // quarantine reason; logged for every action
  std::vector<HeaderField> add_headers;
  std::string source = "policy";  // "policy", "fallback", "check:<name>"
};

// Fills empty code/text fields with the defaults for the action and makes
// every field safe to send (digits only in codes, matching classes, no CR,
// LF or NUL in text). Returns false when a given code contradicts the
// action (a 4xx code with reject), in which case the defaults are used.
bool NormaliseReply(Action action, std::string* smtp_code, std::string* enhanced_code,
                    std::string* text);

double TotalScore(const std::vector<CheckResult>& results);

}  // namespace portcullis
