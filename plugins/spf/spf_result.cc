#include "spf_result.h"

namespace portcullis::spf {

std::string_view ResultName(SpfResult result) {
  switch (result) {
    case SpfResult::kNone: return "none";
    case SpfResult::kNeutral: return "neutral";
    case SpfResult::kPass: return "pass";
    case SpfResult::kFail: return "fail";
    case SpfResult::kSoftfail: return "softfail";
    case SpfResult::kTemperror: return "temperror";
    case SpfResult::kPermerror: return "permerror";
  }
  return "none";
}

std::string_view ResultSymbolSuffix(SpfResult result) {
  switch (result) {
    case SpfResult::kNone: return "NONE";
    case SpfResult::kNeutral: return "NEUTRAL";
    case SpfResult::kPass: return "PASS";
    case SpfResult::kFail: return "FAIL";
    case SpfResult::kSoftfail: return "SOFTFAIL";
    case SpfResult::kTemperror: return "TEMPERROR";
    case SpfResult::kPermerror: return "PERMERROR";
  }
  return "NONE";
}

std::optional<SpfResult> ParseResultName(std::string_view name) {
  for (int i = 0; i < kResultCount; ++i) {
    const auto result = static_cast<SpfResult>(i);
    if (ResultName(result) == name) return result;
  }
  return std::nullopt;
}

CheckStatus ToCheckStatus(SpfResult result) {
  switch (result) {
    case SpfResult::kNone: return CheckStatus::kNone;
    case SpfResult::kNeutral: return CheckStatus::kNeutral;
    case SpfResult::kPass: return CheckStatus::kPass;
    case SpfResult::kFail: return CheckStatus::kFail;
    case SpfResult::kSoftfail: return CheckStatus::kSoftfail;
    case SpfResult::kTemperror: return CheckStatus::kTemperror;
    case SpfResult::kPermerror: return CheckStatus::kPermerror;
  }
  return CheckStatus::kNone;
}

}  // namespace portcullis::spf
