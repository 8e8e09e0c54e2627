#include "pipeline/report.h"

#include "portcullis/smtp_reply.h"

namespace portcullis {
namespace {

std::string SafeText(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\r' || c == '\n' || c == '\t') {
      out += ' ';
    } else if (c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
    }
  }
  if (out.size() > kMaxReplyText) out.resize(kMaxReplyText);
  return out;
}

}  // namespace

bool NormaliseReply(Action action, std::string* smtp_code, std::string* enhanced_code,
                    std::string* text) {
  if (action != Action::kReject && action != Action::kTempfail) return true;
  const bool reject = action == Action::kReject;
  const char want = reject ? '5' : '4';
  bool ok = true;
  if (smtp_code->empty()) {
    *smtp_code = reject ? "550" : "451";
  } else if (!IsReplyCode(*smtp_code, want)) {
    *smtp_code = reject ? "550" : "451";
    ok = false;
  }
  if (enhanced_code->empty()) {
    *enhanced_code = reject ? "5.7.1" : "4.7.1";
  } else if (!IsEnhancedStatusCode(*enhanced_code, want)) {
    *enhanced_code = reject ? "5.7.1" : "4.7.1";
    ok = false;
  }
  *text = SafeText(*text);
  if (text->empty()) {
    *text = reject ? "Message rejected by policy" : "Try again later";
  }
  return ok;
}

double TotalScore(const std::vector<CheckResult>& results) {
  double score = 0;
  for (const CheckResult& result : results) {
    for (const Symbol& symbol : result.symbols) score += symbol.score;
  }
  return score;
}

}  // namespace portcullis
