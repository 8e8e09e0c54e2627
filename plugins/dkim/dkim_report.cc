#include "dkim_report.h"

#include <cctype>
#include <string_view>

namespace portcullis::dkim {
namespace {

// RFC 6008 2: eight characters of b= tell signatures apart in practice.
constexpr size_t kHeaderBChars = 8;
// Reasons come partly from DNS (key errors); cut and clean them.
constexpr size_t kMaxReasonChars = 200;

// The content of an RFC 5322 comment: printable ASCII, "(", ")" and "\"
// escaped (RFC 5322 3.2.2).
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

// A property value as an RFC 8601 pvalue: bare when it is a token (or an
// address-like "local@domain", 8601 2.2), else a quoted-string. Values come
// from the message, so they are cleaned first.
std::string Value(std::string_view text) {
  bool bare = !text.empty();
  std::string clean;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte > 0x7e) c = '?';
    // RFC 2045 tspecials, less "@" (allowed in pvalue).
    if (std::string_view("()<>,;:\\\"/[]?= ").find(c) != std::string_view::npos) bare = false;
    if (c == '"' || c == '\\') clean.push_back('\\');
    clean.push_back(c);
  }
  if (bare) return clean;
  return "\"" + clean + "\"";
}

}  // namespace

std::string AuthResultsFragment(const SignatureResult& result) {
  std::string out = "dkim=" + std::string(DkimResultName(result.result));
  if (!result.reason.empty()) out += " (" + Comment(result.reason) + ")";
  if (!result.domain.empty()) out += " header.d=" + Value(result.domain);
  if (!result.identity.empty()) out += " header.i=" + Value(result.identity);
  if (!result.selector.empty()) out += " header.s=" + Value(result.selector);
  if (!result.algorithm.empty()) out += " header.a=" + Value(result.algorithm);
  if (!result.b_text.empty()) out += " header.b=" + Value(result.b_text.substr(0, kHeaderBChars));
  return out;
}

CheckResult BuildCheckResult(const std::vector<SignatureResult>& results, bool too_many,
                             const DkimOptions& options) {
  CheckResult out;
  out.status = OverallStatus(results);
  if (out.status == CheckStatus::kNone) {
    out.symbols.push_back({"DKIM_NONE", options.none_score, "no DKIM signature"});
    out.auth_results.push_back("dkim=none");
    out.methods.push_back({"dkim", "none", {}});
  }
  // One symbol per result that occurs, its detail naming the domains.
  for (size_t kind = 0; kind < kResultKinds; ++kind) {
    const auto result = static_cast<DkimResult>(kind);
    std::string detail;
    for (const SignatureResult& signature : results) {
      if (signature.ignored || signature.result != result) continue;
      if (!detail.empty()) detail += ", ";
      detail += signature.domain.empty() ? "?" : signature.domain;
      if (!signature.reason.empty()) detail += " (" + signature.reason + ")";
    }
    if (detail.empty()) continue;
    std::string name = "DKIM_";
    for (char c : DkimResultName(result)) name.push_back(static_cast<char>(std::toupper(c)));
    out.symbols.push_back({name, options.ScoreFor(result), detail});
  }
  if (too_many) {
    out.symbols.push_back({"DKIM_TOO_MANY_SIGNATURES", options.too_many_signatures_score,
                           "more than " + std::to_string(options.verifier.max_signatures) +
                               " signatures; the rest were not verified"});
  }
  for (const SignatureResult& signature : results) {
    if (signature.ignored) continue;
    out.auth_results.push_back(AuthResultsFragment(signature));
    AuthMethodResult method{"dkim", std::string(DkimResultName(signature.result)), {}};
    method.properties.emplace_back("header.d", signature.domain);
    method.properties.emplace_back("header.s", signature.selector);
    if (!signature.identity.empty()) method.properties.emplace_back("header.i", signature.identity);
    method.properties.emplace_back("header.a", signature.algorithm);
    out.methods.push_back(std::move(method));
  }
  return out;
}

}  // namespace portcullis::dkim
