#include "spf_domain.h"

#include <strings.h>

namespace portcullis::spf {
namespace {

std::string_view WithoutRootDot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

}  // namespace

bool IsValidDomain(std::string_view domain) {
  domain = WithoutRootDot(domain);
  if (domain.empty() || domain.size() > kMaxDomainLength) return false;
  if (domain.front() == '[') return false;
  size_t labels = 0;
  size_t label_length = 0;
  for (char c : domain) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte >= 0x7f) return false;
    if (c == '.') {
      if (label_length == 0) return false;
      ++labels;
      label_length = 0;
      continue;
    }
    if (++label_length > kMaxLabelLength) return false;
  }
  if (label_length == 0) return false;
  return labels + 1 >= 2;
}

void TruncateDomain(std::string* name) {
  if (name->size() <= kMaxDomainLength) return;
  size_t cut = 0;
  while (name->size() - cut > kMaxDomainLength) {
    const size_t dot = name->find('.', cut);
    if (dot == std::string::npos) break;
    cut = dot + 1;
  }
  name->erase(0, cut);
}

bool EqualsDomain(std::string_view a, std::string_view b) {
  a = WithoutRootDot(a);
  b = WithoutRootDot(b);
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool IsSameOrSubdomain(std::string_view name, std::string_view parent) {
  name = WithoutRootDot(name);
  parent = WithoutRootDot(parent);
  if (parent.empty() || name.size() < parent.size()) return false;
  const std::string_view tail = name.substr(name.size() - parent.size());
  if (strncasecmp(tail.data(), parent.data(), parent.size()) != 0) return false;
  return name.size() == parent.size() || name[name.size() - parent.size() - 1] == '.';
}

SenderParts SplitSender(std::string_view sender) {
  SenderParts parts;
  const size_t at = sender.rfind('@');
  std::string_view local = at == std::string_view::npos ? std::string_view() : sender.substr(0, at);
  parts.domain = std::string(at == std::string_view::npos ? sender : sender.substr(at + 1));
  parts.local_part = local.empty() ? "postmaster" : std::string(local);
  parts.sender = parts.local_part + "@" + parts.domain;
  return parts;
}

}  // namespace portcullis::spf
