// ASCII case folding for the MIME parser's byte loops (names, schemes,
// tags and hosts are ASCII; UTF-8 bytes pass unchanged). Whole strings use
// portcullis::ToLower (transaction_info.h).
#pragma once

namespace portcullis::mime {

inline char LowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace portcullis::mime
