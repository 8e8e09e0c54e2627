#include "spf_report.h"

#include "portcullis/smtp_reply.h"
#include "spf_text.h"

namespace portcullis::spf {
namespace {

// A comment is for humans; keep header lines reasonable.
constexpr size_t kMaxCommentLength = 160;
// Header values must stay well inside RFC 5322's 998-octet line limit.
constexpr size_t kMaxPropertyLength = 320;

bool IsAtext(char c) {
  // RFC 5322 3.2.3 atext.
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// dot-atom-text: atext runs separated by single dots.
bool IsDotAtom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  char previous = 0;
  for (char c : text) {
    if (c == '.') {
      if (previous == '.') return false;
    } else if (!IsAtext(c)) {
      return false;
    }
    previous = c;
  }
  return true;
}

bool IsDomainText(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.')) {
      return false;
    }
  }
  return true;
}

std::string QuotedString(std::string_view text) {
  std::string out = "\"";
  for (char c : PrintableAscii(text, kMaxPropertyLength)) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

std::string PropertyValue(std::string_view text) {
  if (text.size() <= kMaxPropertyLength) {
    const size_t at = text.rfind('@');
    if (at == std::string_view::npos
            ? IsDomainText(text)
            : (IsDotAtom(text.substr(0, at)) || at == 0) && IsDomainText(text.substr(at + 1))) {
      return std::string(text);
    }
  }
  return QuotedString(text);
}

std::string AuthResultsFragment(const SpfOutcome& outcome, Identity identity,
                                std::string_view identity_value) {
  std::string fragment = "spf=" + std::string(ResultName(outcome.result));
  if (!outcome.reason.empty()) {
    fragment += " (" + CommentText(outcome.reason, kMaxCommentLength) + ")";
  }
  fragment += identity == Identity::kMailFrom ? " smtp.mailfrom=" : " smtp.helo=";
  fragment += PropertyValue(identity_value);
  return fragment;
}

std::string ReceivedSpfValue(const SpfOutcome& outcome, Identity identity, const IpAddress& ip,
                             std::string_view mail_from, std::string_view helo,
                             std::string_view receiver) {
  // RFC 7208 9.1: result [comment] key=value; ...
  std::string value(ResultName(outcome.result));
  if (!outcome.reason.empty()) {
    value += " (" + CommentText(outcome.reason, kMaxCommentLength) + ")";
  }
  value += " client-ip=" + ip.ToString() + ";";
  if (!mail_from.empty()) value += " envelope-from=" + QuotedString(mail_from) + ";";
  if (!helo.empty()) value += " helo=" + PropertyValue(helo) + ";";
  value += identity == Identity::kMailFrom ? " identity=mailfrom;" : " identity=helo;";
  if (outcome.result == SpfResult::kPermerror || outcome.result == SpfResult::kTemperror) {
    value += " problem=" + QuotedString(outcome.reason) + ";";
  }
  if (!receiver.empty()) value += " receiver=" + PropertyValue(receiver) + ";";
  return value;
}

std::optional<ActionRequest> RequestFor(const SpfOptions& options, const SpfOutcome& outcome) {
  const Action action = options.ActionFor(outcome.result);
  if (action == Action::kNone) return std::nullopt;
  if (outcome.result == SpfResult::kFail && !options.EnforcesFailFor(outcome.domain)) {
    return std::nullopt;
  }
  ActionRequest request;
  request.action = action;
  request.reason = "SPF_" + std::string(ResultSymbolSuffix(outcome.result));
  if (action != Action::kReject && action != Action::kTempfail) return request;

  const bool reject = action == Action::kReject;
  request.smtp_code = reject ? "550" : "451";
  const char* detail = "1";
  std::string text = "Rejected by SPF policy";
  switch (outcome.result) {
    case SpfResult::kFail:
    case SpfResult::kSoftfail:
      detail = "23";  // RFC 7372 3.2: X.7.23 SPF validation failed
      text = "SPF validation failed";
      break;
    case SpfResult::kTemperror:
    case SpfResult::kPermerror:
      detail = "24";  // RFC 7372 3.2: X.7.24 SPF validation error
      text = "SPF validation error";
      break;
    default: break;
  }
  request.enhanced_code = std::string(reject ? "5" : "4") + ".7." + detail;
  if (!outcome.explanation.empty()) text += ": " + outcome.explanation;
  // Security: the explanation is the sender's text; keep the reply safe.
  request.text = PrintableAscii(text, kMaxReplyText);
  if (!IsSafeReplyText(request.text)) request.text = "SPF validation failed";
  return request;
}

}  // namespace portcullis::spf
