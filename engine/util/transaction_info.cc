#include "portcullis/transaction_info.h"

#include <cctype>

#include <strings.h>

namespace portcullis {

const HeaderField* MessageInfo::FindHeader(std::string_view name) const {
  for (const HeaderField& header : headers) {
    if (header.name.size() == name.size() &&
        strncasecmp(header.name.data(), name.data(), name.size()) == 0) {
      return &header;
    }
  }
  return nullptr;
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string AddressDomain(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos) return "";
  std::string_view domain = address.substr(at + 1);
  // A trailing dot (fully qualified form) names the same domain.
  while (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  return ToLower(domain);
}

}  // namespace portcullis
