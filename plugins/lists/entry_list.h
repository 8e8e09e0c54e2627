// One list (an allow list or a block list) for one key: client address,
// HELO name, envelope sender, recipient or From header domain.
//
// Client entries go into an IpRangeSet; every other kind into one StringSet
// of normal forms (see entry_syntax.h), which needs no separate tables:
// "a@b" (address), "@b" (exact domain) and "b" (domain and subdomains) never
// collide. Domain lookups walk the label suffixes of the looked-up name, one
// hash probe per label (O(labels)).
//
// Built single-threaded by the lists factory (Add..., then Build once);
// immutable and safe to read from any number of threads afterwards.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "entry_syntax.h"
#include "ip_range_set.h"
#include "portcullis/ip_address.h"
#include "string_set.h"

namespace portcullis::lists {

class EntryList {
 public:
  explicit EntryList(EntryKind kind) : kind_(kind) {}

  EntryKind kind() const { return kind_; }
  // Parses and adds one trimmed entry; returns an error message, empty on
  // success. Duplicates are not errors (lists are often concatenated).
  std::string Add(std::string_view entry);
  void Build();

  bool empty() const { return ips_.empty() && names_.empty(); }
  size_t MemoryBytes() const { return ips_.MemoryBytes() + names_.MemoryBytes(); }

  // Lookups; each returns false for input it cannot normalise.
  bool MatchesClient(const IpAddress& address) const { return ips_.Contains(address); }
  // A HELO that is an address ("[192.0.2.1]", "[IPv6:...]", or a bare
  // "192.0.2.1" as broken clients send) is looked up as an address literal,
  // anything else as a domain.
  bool MatchesHelo(std::string_view helo) const;
  // Envelope sender or recipient: the address, "@domain", then domain suffixes.
  bool MatchesAddress(std::string_view address) const;
  // From header domain: "@domain", then domain suffixes.
  bool MatchesDomain(std::string_view domain) const;

 private:
  // True when `domain` (normalised) or a parent domain is a suffix entry.
  bool MatchesSuffix(std::string_view domain) const;

  EntryKind kind_;
  IpRangeSet ips_;
  StringSet names_;
};

}  // namespace portcullis::lists
