#include "arc_report.h"

#include <string_view>

namespace portcullis::arc {
namespace {

// Reasons quote message text (cv= values, tag errors); cut and clean them.
constexpr size_t kMaxReasonChars = 200;

// The content of an RFC 5322 comment: printable ASCII with "(", ")" and
// "\" escaped (3.2.2).
std::string Comment(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxReasonChars)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e) c = '?';
    if (c == '(' || c == ')' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

CheckStatus StatusOf(ArcResult result) {
  switch (result) {
    case ArcResult::kNone: return CheckStatus::kNone;
    case ArcResult::kPass: return CheckStatus::kPass;
    case ArcResult::kFail: return CheckStatus::kFail;
    case ArcResult::kTemperror: return CheckStatus::kTemperror;
  }
  return CheckStatus::kNone;
}

std::string Joined(const std::vector<std::string>& domains) {
  std::string out;
  for (const std::string& domain : domains) {
    if (!out.empty()) out += ':';
    out += domain;
  }
  return out;
}

}  // namespace

std::string AuthResultsFragment(const ChainResult& result) {
  switch (result.result) {
    case ArcResult::kNone: return "arc=none";
    case ArcResult::kPass: return "arc=pass (i=" + std::to_string(result.instances) + ")";
    case ArcResult::kFail:
      return "arc=fail" + (result.reason.empty() ? "" : " (" + Comment(result.reason) + ")");
    case ArcResult::kTemperror: return "";
  }
  return "";
}

CheckResult BuildCheckResult(const ChainResult& result, const ArcOptions& options) {
  CheckResult out;
  out.status = StatusOf(result.result);
  switch (result.result) {
    case ArcResult::kNone:
      out.symbols.push_back({"ARC_NONE", options.none_score, "no ARC header fields"});
      break;
    case ArcResult::kPass:
      out.symbols.push_back(
          {"ARC_PASS", options.pass_score,
           "i=" + std::to_string(result.instances) + " " + Joined(result.sealers)});
      break;
    case ArcResult::kFail:
      out.symbols.push_back({"ARC_FAIL", options.fail_score, result.reason});
      break;
    case ArcResult::kTemperror:
      out.symbols.push_back({"ARC_TEMPERROR", options.temperror_score, result.reason});
      break;
  }
  const std::string fragment = AuthResultsFragment(result);
  if (!fragment.empty()) out.auth_results.push_back(fragment);
  AuthMethodResult method{"arc", std::string(ArcResultName(result.result)), {}};
  // Only a passing chain vouches for its sealers; a policy trusting a
  // sealer must not see domains from a chain that failed.
  if (result.result == ArcResult::kPass) {
    method.properties.emplace_back("arc.chain", Joined(result.sealers));
    method.properties.emplace_back("arc.instances", std::to_string(result.instances));
  }
  out.methods.push_back(std::move(method));
  return out;
}

}  // namespace portcullis::arc
