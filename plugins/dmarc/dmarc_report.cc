#include "dmarc_report.h"

#include "portcullis/smtp_reply.h"
#include "portcullis/transaction_info.h"

namespace portcullis::dmarc {
namespace {

// A comment is for humans; keep header lines reasonable.
constexpr size_t kMaxCommentLength = 160;

// RFC 8601 2.2 comments: printable ASCII without the characters that would
// end or nest the comment.
std::string CommentText(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() >= kMaxCommentLength) break;
    if (c < ' ' || c > '~' || c == '(' || c == ')' || c == '\\') continue;
    out.push_back(c);
  }
  return out;
}

// RFC 8601 2.2 pvalue: a domain as it is when it is plain LDH text, else a
// quoted-string (Security: the domain comes from the message header).
std::string PropertyValue(std::string_view text) {
  bool plain = !text.empty();
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.' || c == '_')) {
      plain = false;
    }
  }
  if (plain) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c < ' ' || c == 0x7F) continue;
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

CheckStatus StatusOf(DmarcResult result) {
  switch (result) {
    case DmarcResult::kPass: return CheckStatus::kPass;
    case DmarcResult::kFail: return CheckStatus::kFail;
    case DmarcResult::kNone: return CheckStatus::kNone;
    case DmarcResult::kTemperror: return CheckStatus::kTemperror;
    case DmarcResult::kPermerror: return CheckStatus::kPermerror;
  }
  return CheckStatus::kNone;
}

std::string SymbolOf(DmarcResult result) {
  std::string name = "DMARC_";
  for (char c : DmarcResultName(result)) name.push_back(static_cast<char>(c - 'a' + 'A'));
  return name;
}

}  // namespace

AuthFacts FactsFromResults(const std::vector<CheckResult>& finished) {
  AuthFacts facts;
  bool have_spf = false;
  for (const CheckResult& result : finished) {
    for (const AuthMethodResult& method : result.methods) {
      if (method.method == "spf" && !have_spf) {
        have_spf = true;
        facts.spf_result = method.result;
        // RFC 7489 4.1 / RFC 7208 2.4: the MAIL FROM domain, or HELO for <>.
        const std::string mail_from = method.Property("smtp.mailfrom");
        facts.spf_domain =
            mail_from.empty() ? method.Property("smtp.helo") : AddressDomain(mail_from);
      } else if (method.method == "dkim") {
        facts.dkim.push_back({method.result, method.Property("header.d")});
      }
    }
  }
  return facts;
}

std::string AuthResultsFragment(const Verdict& verdict) {
  std::string fragment = "dmarc=" + std::string(DmarcResultName(verdict.result));
  std::string comment;
  if (verdict.result == DmarcResult::kPass || verdict.result == DmarcResult::kFail) {
    comment = "p=" + std::string(PolicyName(verdict.requested)) + "; ";
  }
  comment += verdict.reason;
  comment = CommentText(comment);
  if (!comment.empty()) fragment += " (" + comment + ")";
  if (!verdict.author_domain.empty()) {
    fragment += " header.from=" + PropertyValue(verdict.author_domain);
  }
  fragment += " policy.dmarc=" + std::string(PolicyName(verdict.applied));
  return fragment;
}

CheckResult ResultForVerdict(const DmarcOptions& options, const Verdict& verdict) {
  CheckResult result;
  result.status = StatusOf(verdict.result);
  const std::string symbol = SymbolOf(verdict.result);
  result.symbols.push_back({symbol, options.ScoreOf(symbol), CommentText(verdict.reason)});
  if (verdict.result == DmarcResult::kFail && verdict.applied != Policy::kNone) {
    const std::string policy_symbol =
        verdict.applied == Policy::kReject ? "DMARC_POLICY_REJECT" : "DMARC_POLICY_QUARANTINE";
    result.symbols.push_back({policy_symbol, options.ScoreOf(policy_symbol),
                              "p=" + std::string(PolicyName(verdict.requested))});
    if (options.honour_policy) {
      ActionRequest request;
      request.reason = policy_symbol;
      if (verdict.applied == Policy::kReject) {
        request.action = Action::kReject;
        // RFC 7489 6.7 / 10.3: reject during the SMTP transaction; RFC 7372
        // has no DMARC code, 5.7.1 is "delivery not authorized".
        request.smtp_code = "550";
        request.enhanced_code = "5.7.1";
        request.text = "Rejected by DMARC policy for " + CommentText(verdict.author_domain);
        if (!IsSafeReplyText(request.text)) request.text = "Rejected by DMARC policy";
      } else {
        request.action = Action::kQuarantine;
      }
      result.request = std::move(request);
    }
  }
  result.auth_results.push_back(AuthResultsFragment(verdict));
  AuthMethodResult method{"dmarc", std::string(DmarcResultName(verdict.result)), {}};
  if (!verdict.author_domain.empty()) {
    method.properties.emplace_back("header.from", verdict.author_domain);
  }
  method.properties.emplace_back("policy.dmarc", std::string(PolicyName(verdict.applied)));
  result.methods.push_back(std::move(method));
  return result;
}

CheckResult ResultForBadFrom(const DmarcOptions& options, const std::string& problem) {
  Verdict verdict;
  verdict.result = DmarcResult::kPermerror;
  verdict.reason = problem;
  CheckResult result = ResultForVerdict(options, verdict);
  result.symbols.push_back(
      {"DMARC_BAD_FROM", options.ScoreOf("DMARC_BAD_FROM"), CommentText(problem)});
  return result;
}

}  // namespace portcullis::dmarc
