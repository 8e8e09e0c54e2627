#include "dkim_result.h"

namespace portcullis::dkim {

std::string_view DkimResultName(DkimResult result) {
  switch (result) {
    case DkimResult::kPass: return "pass";
    case DkimResult::kFail: return "fail";
    case DkimResult::kNeutral: return "neutral";
    case DkimResult::kPolicy: return "policy";
    case DkimResult::kTemperror: return "temperror";
    case DkimResult::kPermerror: return "permerror";
  }
  return "permerror";
}

CheckStatus ToCheckStatus(DkimResult result) {
  switch (result) {
    case DkimResult::kPass: return CheckStatus::kPass;
    case DkimResult::kFail: return CheckStatus::kFail;
    case DkimResult::kNeutral: return CheckStatus::kNeutral;
    case DkimResult::kPolicy: return CheckStatus::kPolicy;
    case DkimResult::kTemperror: return CheckStatus::kTemperror;
    case DkimResult::kPermerror: return CheckStatus::kPermerror;
  }
  return CheckStatus::kPermerror;
}

CheckStatus OverallStatus(const std::vector<SignatureResult>& results) {
  // Lower rank = more significant.
  auto rank = [](DkimResult result) {
    switch (result) {
      case DkimResult::kPass: return 0;
      case DkimResult::kFail: return 1;
      case DkimResult::kTemperror: return 2;
      case DkimResult::kPermerror: return 3;
      case DkimResult::kPolicy: return 4;
      case DkimResult::kNeutral: return 5;
    }
    return 5;
  };
  bool any = false;
  DkimResult best = DkimResult::kNeutral;
  for (const SignatureResult& result : results) {
    if (result.ignored) continue;
    if (!any || rank(result.result) < rank(best)) best = result.result;
    any = true;
  }
  return any ? ToCheckStatus(best) : CheckStatus::kNone;
}

}  // namespace portcullis::dkim
