#include "bare_lf_options.h"

#include "portcullis/smtp_reply.h"

namespace portcullis::bare_lf {
namespace {

constexpr std::array<std::string_view, kFindingClassCount> kClassNames = {"header", "body",
                                                                          "smuggling"};

constexpr std::array<std::string_view, 4> kActionNames = {"score", "reject", "tempfail",
                                                          "quarantine"};

std::string AllowedActions() {
  std::string list;
  for (std::string_view name : kActionNames) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

// Reads an optional string option into `value`; false on a wrong type.
bool ReadString(ConfigReader& reader, const std::string& key, std::string* value) {
  const ConfigValue* raw = reader.Raw(key);
  if (!raw) return true;
  if (raw->type != ConfigValue::Type::kString) {
    reader.Error(key, "expected string, got " + std::string(ConfigValue::TypeName(raw->type)));
    return false;
  }
  *value = raw->string;
  return true;
}

}  // namespace

FindingClass ClassOf(FindingKind kind) {
  if (kind == FindingKind::kSmuggling) return FindingClass::kSmuggling;
  return IsHeaderFinding(kind) ? FindingClass::kHeader : FindingClass::kBody;
}

std::string_view FindingClassName(FindingClass finding_class) {
  return kClassNames[static_cast<size_t>(finding_class)];
}

std::string_view ClassActionName(ClassAction action) {
  return kActionNames[static_cast<size_t>(action)];
}

std::optional<ClassAction> ParseClassAction(std::string_view name) {
  for (size_t i = 0; i < kActionNames.size(); ++i) {
    if (kActionNames[i] == name) return static_cast<ClassAction>(i);
  }
  return std::nullopt;
}

std::array<double, kFindingKindCount> BareLfOptions::DefaultScores() {
  std::array<double, kFindingKindCount> scores{};
  auto set = [&scores](FindingKind kind, double score) {
    scores[static_cast<size_t>(kind)] = score;
  };
  set(FindingKind::kBareLfHeader, 5.0);
  set(FindingKind::kBareCrHeader, 5.0);
  set(FindingKind::kNulHeader, 5.0);
  set(FindingKind::kBareLfBody, 2.0);
  set(FindingKind::kBareCrBody, 2.0);
  set(FindingKind::kNulBody, 3.0);
  set(FindingKind::kSmuggling, 10.0);
  return scores;
}

std::optional<BareLfOptions> ReadBareLfOptions(ConfigReader& reader) {
  BareLfOptions options;
  bool ok = true;

  for (size_t i = 0; i < kFindingClassCount; ++i) {
    ClassPolicy& policy = options.classes[i];
    const std::string action_key = std::string(kClassNames[i]) + "_action";
    const std::string text_key = std::string(kClassNames[i]) + "_text";
    std::string name(ClassActionName(policy.action));
    ok = ReadString(reader, action_key, &name) && ok;
    if (std::optional<ClassAction> action = ParseClassAction(name)) {
      policy.action = *action;
    } else {
      reader.Error(action_key, "'" + name + "' is not one of: " + AllowedActions());
      ok = false;
    }
    ok = ReadString(reader, text_key, &policy.text) && ok;
    // Security: the text goes into an SMTP reply line; a CR or LF in it would
    // split the reply.
    if (!IsSafeReplyText(policy.text)) {
      reader.Error(text_key, "must be one non-empty line of at most " +
                                 std::to_string(kMaxReplyText) + " printable characters");
      ok = false;
    }
  }

  if (const ConfigValue* raw = reader.Raw("scores");
      raw && raw->type != ConfigValue::Type::kTable) {
    reader.Error("scores", "expected a table of SYMBOL = score");
    return std::nullopt;
  }
  ConfigReader scores = reader.Table("scores");
  for (FindingKind kind : kAllFindingKinds) {
    const std::string symbol(FindingSymbol(kind));
    const ConfigValue* value = scores.Raw(symbol);
    if (!value) continue;
    if (value->type != ConfigValue::Type::kNumber) {
      scores.Error(symbol,
                   "expected number, got " + std::string(ConfigValue::TypeName(value->type)));
      ok = false;
    } else if (!(value->number >= kMinScore && value->number <= kMaxScore)) {
      scores.Error(symbol, "score must be between " + std::to_string(static_cast<int>(kMinScore)) +
                               " and " + std::to_string(static_cast<int>(kMaxScore)));
      ok = false;
    } else {
      options.scores[static_cast<size_t>(kind)] = value->number;
    }
  }
  // Unknown symbols under `scores` are reported when `scores` goes out of scope.
  if (!ok) return std::nullopt;
  return options;
}

std::optional<ActionRequest> MakeActionRequest(const ClassPolicy& policy, std::string_view reason) {
  ActionRequest request;
  request.text = policy.text;
  request.reason = std::string(reason);
  switch (policy.action) {
    case ClassAction::kScore: return std::nullopt;
    case ClassAction::kReject:
      // RFC 3463 5.7.1: delivery not authorised, message refused.
      request.action = Action::kReject;
      request.smtp_code = "550";
      request.enhanced_code = "5.7.1";
      break;
    case ClassAction::kTempfail:
      request.action = Action::kTempfail;
      request.smtp_code = "451";
      request.enhanced_code = "4.7.1";
      break;
    case ClassAction::kQuarantine:
      // Accepted and held: no reply code of its own.
      request.action = Action::kQuarantine;
      break;
  }
  return request;
}

}  // namespace portcullis::bare_lf
