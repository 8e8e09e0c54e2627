#include "pipeline/report.h"

namespace portcullis {
namespace {

// RFC 5321 4.2: three digits, first 2-5. RFC 3463: class.subject.detail
// with 1-3 digit subject and detail, and the class matching the reply.
bool ValidReplyCode(const std::string& code, char want_class) {
  return code.size() == 3 && code[0] == want_class && code[1] >= '0' && code[1] <= '5' &&
         code[2] >= '0' && code[2] <= '9';
}

bool ValidEnhancedCode(const std::string& code, char want_class) {
  if (code.size() < 5 || code[0] != want_class || code[1] != '.') return false;
  int dots = 0;
  int digits = 0;
  for (size_t i = 2; i < code.size(); ++i) {
    if (code[i] == '.') {
      if (digits == 0) return false;
      ++dots;
      digits = 0;
    } else if (code[i] >= '0' && code[i] <= '9' && digits < 3) {
      ++digits;
    } else {
      return false;
    }
  }
  return dots == 1 && digits > 0;
}

std::string SafeText(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\r' || c == '\n' || c == '\t') {
      out += ' ';
    } else if (c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
    }
  }
  // RFC 5321 4.5.3.1.5: a reply line is at most 512 octets with the code.
  constexpr size_t kMaxReplyText = 400;
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
  } else if (!ValidReplyCode(*smtp_code, want)) {
    *smtp_code = reject ? "550" : "451";
    ok = false;
  }
  if (enhanced_code->empty()) {
    *enhanced_code = reject ? "5.7.1" : "4.7.1";
  } else if (!ValidEnhancedCode(*enhanced_code, want)) {
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
