#include "portcullis/check_result.h"

namespace portcullis {

std::string_view CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kNone: return "none";
    case CheckStatus::kPass: return "pass";
    case CheckStatus::kFail: return "fail";
    case CheckStatus::kSoftfail: return "softfail";
    case CheckStatus::kNeutral: return "neutral";
    case CheckStatus::kPolicy: return "policy";
    case CheckStatus::kTemperror: return "temperror";
    case CheckStatus::kPermerror: return "permerror";
  }
  return "none";
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kNone: return "none";
    case Action::kAccept: return "accept";
    case Action::kReject: return "reject";
    case Action::kTempfail: return "tempfail";
    case Action::kQuarantine: return "quarantine";
    case Action::kDiscard: return "discard";
  }
  return "none";
}

std::optional<Action> ParseAction(std::string_view name) {
  for (Action action : {Action::kNone, Action::kAccept, Action::kReject, Action::kTempfail,
                        Action::kQuarantine, Action::kDiscard}) {
    if (ActionName(action) == name) return action;
  }
  return std::nullopt;
}

}  // namespace portcullis
