#include "entry_list.h"

namespace portcullis::lists {

std::string EntryList::Add(std::string_view entry) {
  if (kind_ == EntryKind::kClient) {
    IpNetwork network;
    std::string error = ParseClientEntry(entry, &network);
    if (error.empty()) ips_.Add(network);
    return error;
  }
  std::string normal;
  std::string error = NormalizeNameEntry(kind_, entry, &normal);
  if (!error.empty()) return error;
  if (names_.Insert(normal) == StringSet::InsertResult::kTooLarge) {
    return "list too large";
  }
  return "";
}

void EntryList::Build() {
  ips_.Build();
  names_.Shrink();
}

bool EntryList::MatchesSuffix(std::string_view domain) const {
  // "a.b.example.org" -> "a.b.example.org", "b.example.org", "example.org",
  // "org". Bounded by kMaxDomainLength, so at most ~127 probes.
  while (true) {
    if (names_.Contains(domain)) return true;
    size_t dot = domain.find('.');
    if (dot == std::string_view::npos) return false;
    domain.remove_prefix(dot + 1);
  }
}

bool EntryList::MatchesHelo(std::string_view helo) const {
  if (names_.empty() || helo.empty()) return false;
  if (auto address = IpAddress::Parse(helo)) return names_.Contains(AddressLiteral(*address));
  if (helo.front() == '[') return false;  // a literal we cannot parse
  std::string domain;
  return NormalizeLookupDomain(helo, &domain) && MatchesSuffix(domain);
}

bool EntryList::MatchesAddress(std::string_view address) const {
  std::string normal;
  if (names_.empty() || !NormalizeLookupAddress(address, &normal)) return false;
  size_t at = normal.rfind('@');
  // A bare local part ("postmaster", RFC 5321 4.1.1.3) is no address entry
  // and has no domain to walk.
  if (at == std::string::npos) return false;
  if (names_.Contains(normal)) return true;
  return MatchesDomain(std::string_view(normal).substr(at + 1));
}

bool EntryList::MatchesDomain(std::string_view domain) const {
  std::string normal;
  if (names_.empty() || !NormalizeLookupDomain(domain, &normal)) return false;
  if (names_.Contains("@" + normal)) return true;
  return MatchesSuffix(normal);
}

}  // namespace portcullis::lists
