#include "portcullis/smtp_reply.h"

namespace portcullis {

bool IsReplyCode(std::string_view code, char reply_class) {
  return code.size() == 3 && code[0] == reply_class && code[1] >= '0' && code[1] <= '5' &&
         code[2] >= '0' && code[2] <= '9';
}

bool IsEnhancedStatusCode(std::string_view code, char reply_class) {
  if (code.size() < 5 || code[0] != reply_class || code[1] != '.') return false;
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

bool IsSafeReplyText(std::string_view text) {
  if (text.empty() || text.size() > kMaxReplyText) return false;
  for (unsigned char c : text) {
    if (c < ' ' || c == 0x7f) return false;
  }
  return true;
}

}  // namespace portcullis
