// The Public Suffix List (https://publicsuffix.org/list/): public suffixes,
// registrable domains, and the Organizational Domain that DMARC builds on it
// (RFC 7489 3.2). An engine utility: the dmarc check aligns identifiers with
// it, the MIME parser (engine/mime) gives every URL its registered domain.
//
// A PublicSuffixList is parsed once from the list file (the Debian package
// `publicsuffix` installs /usr/share/publicsuffix/public_suffix_list.dat),
// is immutable afterwards and is shared through shared_ptr by checks and
// every transaction: all lookups are const and thread-safe.
// SystemPublicSuffixList() is the process-wide copy of the system list,
// read once on first use from any thread.
//
// Rules are kept in three hash sets (plain, wildcard "*." with the part
// after the wildcard, exception "!" with the part after the "!"). Rules
// written in Unicode are also stored as IDNA A-labels (RFC 3492 Punycode),
// so that domains from headers, which arrive as A-labels, match them as
// they are; nothing is converted at lookup time.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace portcullis {

// The real list is about 230 KB and 10,000 rules; these bounds only stop a
// wrong file (a log, a core dump) from being read whole.
inline constexpr size_t kMaxPslFileBytes = 16 * 1024 * 1024;
inline constexpr size_t kMaxPslRules = 200000;
// RFC 1035 2.3.4: a name is at most 253 octets in text form.
inline constexpr size_t kMaxPslRuleBytes = 253;

// Which parts of the list count. The list's PRIVATE section holds suffixes
// under which unrelated parties register names (github.io, blogspot.com):
// for DMARC they are organizational boundaries just like co.uk, so
// alice.github.io must not align with mallory.github.io. RFC 7489 3.2 names
// the list without excluding a section, and OpenDMARC reads the whole file;
// kIcannOnly exists for operators who want browsers' "ICANN" view.
enum class PslSections { kAll, kIcannOnly };

class PublicSuffixList {
 public:
  // Reads the list file. On failure returns nullptr and sets `error` to
  // "file:line: why" (or "file: why" when the file cannot be read).
  static std::shared_ptr<const PublicSuffixList> Load(const std::string& path, PslSections sections,
                                                      std::string* error);
  // The same from text; `source` names it in errors.
  static std::shared_ptr<const PublicSuffixList> Parse(std::string_view text,
                                                       std::string_view source,
                                                       PslSections sections, std::string* error);

  // The public suffix of `domain` under the list's algorithm (the prevailing
  // rule; the implicit "*" when none matches), lower-case. nullopt for a
  // name that is not a domain (empty, empty label, leading dot, over 253).
  // One trailing dot is allowed and dropped.
  std::optional<std::string> PublicSuffix(std::string_view domain) const;
  // The public suffix plus one label ("registrable domain"); nullopt when
  // `domain` is itself a public suffix or not a domain name.
  std::optional<std::string> RegistrableDomain(std::string_view domain) const;
  // RFC 7489 3.2: the Organizational Domain. For a name that is itself a
  // public suffix there is no "x+1th label"; the RFC leaves it open and we
  // use the name itself (as OpenDMARC does), so such a From domain aligns
  // only with itself. Not a domain name: returns it lower-cased.
  std::string OrganizationalDomain(std::string_view domain) const;

  size_t rule_count() const { return rules_; }

 private:
  PublicSuffixList() = default;
  bool AddRule(std::string_view rule, std::string* why);

  std::unordered_set<std::string> plain_;
  std::unordered_set<std::string> wildcard_;   // "*.ck" stored as "ck"
  std::unordered_set<std::string> exception_;  // "!www.ck" stored as "www.ck"
  size_t rules_ = 0;
};

// Lower-cases ASCII, drops one trailing dot; nullopt when `domain` has an
// empty label, is empty or is over 253 octets.
std::optional<std::string> NormaliseDomain(std::string_view domain);

// RFC 3492 / RFC 5891: a UTF-8 label as an A-label ("公司" -> "xn--55qx5d");
// an ASCII label is returned lower-cased. nullopt for invalid UTF-8.
std::optional<std::string> ToALabel(std::string_view utf8_label);

// Where the Debian package `publicsuffix` installs the list.
inline constexpr const char* kSystemPublicSuffixFile =
    "/usr/share/publicsuffix/public_suffix_list.dat";

// The system list (all sections), read on the first call and shared for the
// life of the process; thread-safe. A later call after a failure returns
// nullptr again without re-reading (the file does not appear at run time;
// restart after installing it) and sets `error` (may be null) to the reason.
std::shared_ptr<const PublicSuffixList> SystemPublicSuffixList(std::string* error);

}  // namespace portcullis
