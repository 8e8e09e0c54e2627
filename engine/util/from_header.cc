#include "portcullis/from_header.h"

#include "portcullis/transaction_info.h"

namespace portcullis {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

// One mailbox of the list, with comments removed and quoted strings kept
// apart: `outside` and `angle` collect the text that can be an addr-spec.
struct Mailbox {
  std::string outside;              // text outside quotes, comments and <...>
  std::vector<std::string> angles;  // content of each <...>
  bool any_text = false;
};

// The domain of an addr-spec ("local@domain", route "@a,@b:local@domain"),
// or empty when there is none or it is a domain literal.
std::string DomainOf(std::string_view addr_spec) {
  addr_spec = Trim(addr_spec);
  size_t colon = addr_spec.rfind(':');
  if (!addr_spec.empty() && addr_spec.front() == '@' && colon != std::string_view::npos) {
    addr_spec = addr_spec.substr(colon + 1);  // RFC 5322 4.4 obsolete route
  }
  size_t at = addr_spec.rfind('@');
  if (at == std::string_view::npos || at == 0) return "";
  std::string_view domain = Trim(addr_spec.substr(at + 1));
  if (domain.empty() || domain.front() == '[') return "";
  for (char c : domain) {
    if (IsSpace(c) || c == '@' || c == '"' || c == '<' || c == '>' || c == ',' || c == ';') {
      return "";
    }
  }
  if (domain.back() == '.') domain.remove_suffix(1);
  return ToLower(domain);
}

void AddDomain(std::string domain, FromDomains* result) {
  // No domain (an address we cannot read), or past the limit.
  if (domain.empty() || result->domains.size() >= kMaxFromAddresses) {
    result->ambiguous = true;
  } else {
    result->domains.push_back(std::move(domain));
  }
}

// Ends one list element: its domain, or ambiguity when it has none or more
// than one candidate address.
void EndMailbox(Mailbox& box, FromDomains* result) {
  Mailbox done = std::move(box);
  box = Mailbox{};
  if (!done.any_text && done.angles.empty()) return;  // empty list element (",,")
  if (!done.angles.empty()) {
    // An address-looking display name outside the brackets
    // (`a@good.org <x@evil.org>`) shows the reader another author.
    if (done.angles.size() > 1 || done.outside.find('@') != std::string::npos) {
      result->ambiguous = true;
    }
    for (const std::string& angle : done.angles) AddDomain(DomainOf(angle), result);
    return;
  }
  // A bare addr-spec is one word; several words are no valid mailbox.
  std::string_view rest = done.outside;
  int words = 0;
  bool found = false;
  while (true) {
    rest = Trim(rest);
    if (rest.empty()) break;
    size_t end = 0;
    while (end < rest.size() && !IsSpace(rest[end])) ++end;
    ++words;
    std::string domain = DomainOf(rest.substr(0, end));
    if (!domain.empty()) {
      found = true;
      AddDomain(std::move(domain), result);
    }
    rest.remove_prefix(end);
  }
  if (words != 1 || !found) result->ambiguous = true;
}

}  // namespace

FromDomains ParseFromDomains(std::string_view value) {
  FromDomains result;
  if (value.size() > kMaxFromValueBytes) {
    value = value.substr(0, kMaxFromValueBytes);
    result.ambiguous = true;
  }
  Mailbox box;
  int comment_depth = 0;
  bool in_quote = false;
  bool in_angle = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    // RFC 5322 3.2.1: a backslash quotes the next character inside quoted
    // strings and comments (and domain literals, which we do not use).
    if ((in_quote || comment_depth > 0) && c == '\\') {
      ++i;
      continue;
    }
    if (in_quote) {
      if (c == '"') in_quote = false;
      if (!in_angle) continue;  // display-name text never counts
      box.angles.back() += c;
      continue;
    }
    if (comment_depth > 0) {
      if (c == '(') ++comment_depth;
      if (c == ')') --comment_depth;
      continue;
    }
    if (c == '(') {
      comment_depth = 1;
      continue;
    }
    if (in_angle) {
      if (c == '>') {
        in_angle = false;
      } else if (c == '<') {
        result.ambiguous = true;
      } else {
        if (c == '"') in_quote = true;
        box.angles.back() += c;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_quote = true;
        box.any_text = true;
        // A quoted local part of a bare addr-spec: keep a placeholder so
        // that `"a b"@example.org` still has a local part before '@'.
        box.outside += 'q';
        break;
      case '<':
        in_angle = true;
        box.angles.emplace_back();
        break;
      case '>':
        result.ambiguous = true;
        break;
      case ',':
        EndMailbox(box, &result);
        break;
      case ':':
        // RFC 5322 3.4 group: "name: a@b, c@d;" - the name is no address.
        if (!box.angles.empty() || box.outside.find('@') != std::string::npos) {
          result.ambiguous = true;
        }
        box = Mailbox{};
        break;
      case ';':
        EndMailbox(box, &result);
        break;
      default:
        if (!IsSpace(c)) box.any_text = true;
        box.outside += c;
    }
  }
  if (in_quote || in_angle || comment_depth > 0) result.ambiguous = true;
  EndMailbox(box, &result);
  if (result.domains.empty()) result.ambiguous = true;
  return result;
}

}  // namespace portcullis
