// The Public Suffix List: parsing the list file and the lookup algorithm.
#include "portcullis/public_suffix.h"

#include <fstream>
#include <sstream>
#include <vector>

namespace portcullis {
namespace {

// RFC 1035 2.3.4: labels are at most 63 octets, names at most 253.
constexpr size_t kMaxDomainBytes = 253;

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::vector<std::string_view> SplitLabels(std::string_view name) {
  std::vector<std::string_view> labels;
  size_t start = 0;
  for (;;) {
    const size_t dot = name.find('.', start);
    labels.push_back(name.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return labels;
    start = dot + 1;
  }
}

// The last `count` labels of `name` (which has `total` labels).
std::string_view LastLabels(std::string_view name, size_t total, size_t count) {
  size_t start = 0;
  for (size_t skip = total - count; skip > 0; --skip) start = name.find('.', start) + 1;
  return name.substr(start);
}

// The rule body (no "!" or "*.") as stored: every label lower-cased, and
// Unicode labels as A-labels.
std::optional<std::string> RuleKey(std::string_view body, bool to_a_labels, std::string* why) {
  if (body.empty()) {
    *why = "empty rule";
    return std::nullopt;
  }
  std::string key;
  for (std::string_view label : SplitLabels(body)) {
    if (label.empty()) {
      *why = "empty label";
      return std::nullopt;
    }
    if (label.find('*') != std::string_view::npos) {
      *why = "'*' is allowed only as the whole leftmost label";
      return std::nullopt;
    }
    if (label.find('!') != std::string_view::npos) {
      *why = "'!' is allowed only at the start of a rule";
      return std::nullopt;
    }
    if (!key.empty()) key.push_back('.');
    if (to_a_labels) {
      auto a_label = ToALabel(label);
      if (!a_label) {
        *why = "label is not valid UTF-8 or too long";
        return std::nullopt;
      }
      key += *a_label;
    } else {
      for (char c : label) key.push_back(LowerAscii(c));
    }
  }
  if (key.size() > kMaxPslRuleBytes) {
    *why = "rule longer than 253 octets";
    return std::nullopt;
  }
  return key;
}

}  // namespace

std::optional<std::string> NormaliseDomain(std::string_view domain) {
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  if (domain.empty() || domain.size() > kMaxDomainBytes) return std::nullopt;
  std::string out;
  out.reserve(domain.size());
  char previous = '.';
  for (char c : domain) {
    if (c == '.' && previous == '.') return std::nullopt;  // empty label
    out.push_back(LowerAscii(c));
    previous = c;
  }
  return out;
}

bool PublicSuffixList::AddRule(std::string_view rule, std::string* why) {
  std::unordered_set<std::string>* set = &plain_;
  if (rule.front() == '!') {
    set = &exception_;
    rule.remove_prefix(1);
    // An exception drops its leftmost label; with one label nothing is left.
    if (rule.find('.') == std::string_view::npos) {
      *why = "an exception rule needs at least two labels";
      return false;
    }
  } else if (rule.size() >= 2 && rule[0] == '*' && rule[1] == '.') {
    set = &wildcard_;
    rule.remove_prefix(2);
  }
  // Stored twice when written in Unicode: as A-labels (what DNS and most
  // mail carry) and as lower-cased UTF-8 (RFC 6532 internationalised
  // headers may carry U-labels).
  auto a_form = RuleKey(rule, /*to_a_labels=*/true, why);
  if (!a_form) return false;
  auto u_form = RuleKey(rule, /*to_a_labels=*/false, why);
  set->insert(*a_form);
  if (*u_form != *a_form) set->insert(*u_form);
  ++rules_;
  return true;
}

std::shared_ptr<const PublicSuffixList> PublicSuffixList::Parse(std::string_view text,
                                                                std::string_view source,
                                                                PslSections sections,
                                                                std::string* error) {
  std::shared_ptr<PublicSuffixList> list(new PublicSuffixList());
  bool in_private = false;
  size_t line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    ++line_number;
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.find("===BEGIN PRIVATE DOMAINS===") != std::string_view::npos) in_private = true;
    if (line.find("===END PRIVATE DOMAINS===") != std::string_view::npos) in_private = false;
    // publicsuffix.org/list: "Each line is only read up to the first
    // whitespace"; "//" starts a comment line.
    const size_t space = line.find_first_of(" \t\r");
    std::string_view rule = line.substr(0, space);
    if (rule.empty() || rule.substr(0, 2) == "//") continue;
    if (in_private && sections == PslSections::kIcannOnly) continue;
    std::string why;
    if (list->rules_ >= kMaxPslRules) {
      why = "more than " + std::to_string(kMaxPslRules) + " rules";
    } else {
      list->AddRule(rule, &why);
    }
    if (!why.empty()) {
      *error = std::string(source) + ":" + std::to_string(line_number) + ": " + why + " ('" +
               std::string(rule.substr(0, 80)) + "')";
      return nullptr;
    }
  }
  if (list->rules_ == 0) {
    *error = std::string(source) + ": no rules (not a public suffix list?)";
    return nullptr;
  }
  return list;
}

std::shared_ptr<const PublicSuffixList> PublicSuffixList::Load(const std::string& path,
                                                               PslSections sections,
                                                               std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open (install the 'publicsuffix' package or set psl_file)";
    return nullptr;
  }
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxPslFileBytes) {
      *error = path + ": larger than " + std::to_string(kMaxPslFileBytes) + " bytes";
      return nullptr;
    }
  }
  if (in.bad()) {
    *error = path + ": read error";
    return nullptr;
  }
  return Parse(text, path, sections, error);
}

std::optional<std::string> PublicSuffixList::PublicSuffix(std::string_view domain) const {
  auto name = NormaliseDomain(domain);
  if (!name) return std::nullopt;
  const size_t total = SplitLabels(*name).size();
  // publicsuffix.org/list algorithm: an exception rule prevails over all
  // others; otherwise the matching rule with the most labels; when none
  // matches, the implicit "*" (one label).
  size_t prevailing = 1;
  std::optional<size_t> exception;
  for (size_t count = 1; count <= total; ++count) {
    const std::string key(LastLabels(*name, total, count));
    if (exception_.count(key)) exception = count;
    if (plain_.count(key)) prevailing = count;
    // "*.ck" matches any one label in front of "ck".
    if (count >= 2 && wildcard_.count(std::string(LastLabels(*name, total, count - 1)))) {
      prevailing = count;
    }
  }
  // An exception rule loses its leftmost label.
  if (exception) prevailing = *exception - 1;
  return std::string(LastLabels(*name, total, prevailing));
}

std::optional<std::string> PublicSuffixList::RegistrableDomain(std::string_view domain) const {
  auto suffix = PublicSuffix(domain);
  if (!suffix) return std::nullopt;
  auto name = *NormaliseDomain(domain);
  if (name.size() == suffix->size()) return std::nullopt;  // itself a public suffix
  // One more label to the left of the suffix.
  const size_t before = name.size() - suffix->size() - 1;  // the dot
  const size_t dot = name.rfind('.', before - 1);
  return name.substr(dot == std::string::npos ? 0 : dot + 1);
}

std::string PublicSuffixList::OrganizationalDomain(std::string_view domain) const {
  if (auto registrable = RegistrableDomain(domain)) return *registrable;
  if (auto name = NormaliseDomain(domain)) return *name;
  std::string lower;
  for (char c : domain) lower.push_back(LowerAscii(c));
  return lower;
}

}  // namespace portcullis
