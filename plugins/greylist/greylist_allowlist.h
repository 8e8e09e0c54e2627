// The greylist check's static allowlists: clients (addresses, CIDR ranges
// and verified host name suffixes), sender addresses and domains, and
// recipients (role addresses such as postmaster). Filled from inline config
// entries, entry files and the shipped provider list (data/providers.txt),
// then immutable.
//
// Client and sender lists reuse the lists plugin's EntryList (merged IP
// ranges, label-suffix domain matching); recipients are a small exact set.
//
// Built single-threaded while a Snapshot is built (Add..., then Build once);
// afterwards read-only and safe from any number of threads.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "entry_list.h"
#include "portcullis/ip_address.h"

namespace portcullis::greylist {

// Entry files are the operator's; a file this large is a wrong path (a mail
// log, a database), not an allowlist.
inline constexpr size_t kMaxListFileBytes = 16u << 20;
// Past this many bad entries in one source, further ones are only counted.
inline constexpr size_t kMaxErrorsPerSource = 20;

class Allowlists {
 public:
  // Each Add returns an error message, empty on success.
  // A client entry is an IP address, a CIDR range (no host bits set) or a
  // host name suffix matched against the MTA-verified client name at label
  // boundaries ("google.com" matches "mail-wr1-f41.google.com").
  std::string AddClient(std::string_view entry);
  // "user@example.org", "@example.org" (that domain only) or "example.org"
  // (the domain and its subdomains).
  std::string AddSender(std::string_view entry);
  // "postmaster" (that local part at any domain), "user@example.org" or
  // "@example.org".
  std::string AddRecipient(std::string_view entry);
  void Build();

  // `client_name` is ConnectionInfo::client_name ("unknown" never matches).
  bool MatchesClient(const std::optional<IpAddress>& address, std::string_view client_name) const;
  // `sender` as decoded for the triplet but with digits kept.
  bool MatchesSender(std::string_view sender) const;
  // `recipient` lower-cased, sub-address stripped.
  bool MatchesRecipient(std::string_view recipient) const;

 private:
  lists::EntryList client_ips_{lists::EntryKind::kClient};
  lists::EntryList client_names_{lists::EntryKind::kDomain};
  lists::EntryList senders_{lists::EntryKind::kAddress};
  std::set<std::string, std::less<>> recipients_;
};

// Feeds every entry of `text` (one a line; '#' starts a comment at the line
// start or after whitespace; blank lines skipped) to `add`. Errors are
// "source:line: 'entry': reason", at most kMaxErrorsPerSource of them plus
// a count of the rest.
template <typename Add>
void AddEntriesFromText(std::string_view text, const std::string& source, Add add,
                        std::vector<std::string>* errors);

// Reads a whole entry file (bounded by kMaxListFileBytes). False with `error`.
bool ReadListFile(const std::string& path, std::string* content, std::string* error);

// Splits `text` into entry lines: (line number, entry) pairs.
std::vector<std::pair<int, std::string_view>> EntryLines(std::string_view text);

template <typename Add>
void AddEntriesFromText(std::string_view text, const std::string& source, Add add,
                        std::vector<std::string>* errors) {
  size_t bad = 0;
  for (const auto& [line, entry] : EntryLines(text)) {
    std::string error = add(entry);
    if (error.empty()) continue;
    if (++bad <= kMaxErrorsPerSource) {
      errors->push_back(source + ":" + std::to_string(line) + ": '" +
                        std::string(entry.substr(0, 80)) + "': " + error);
    }
  }
  if (bad > kMaxErrorsPerSource) {
    errors->push_back(source + ": " + std::to_string(bad - kMaxErrorsPerSource) +
                      " more bad entries not shown");
  }
}

}  // namespace portcullis::greylist
