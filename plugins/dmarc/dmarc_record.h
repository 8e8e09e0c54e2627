// A DMARC policy record (RFC 7489 6.3, grammar 6.4) and its parser, and the
// choice among the TXT records at one name (6.6.3 steps 2-3).
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::dmarc {

// RFC 7489 6.3 "p": the Domain Owner's requested handling of failing mail.
enum class Policy { kNone, kQuarantine, kReject };
std::string_view PolicyName(Policy policy);  // "none", "quarantine", "reject"
// 6.6.4: the policy one step weaker (reject -> quarantine -> none).
Policy NextLowerPolicy(Policy policy);

// 3.1.1 / 3.1.2: "r" relaxed (same Organizational Domain), "s" strict.
enum class Alignment { kRelaxed, kStrict };

// 6.2 / 6.4 dmarc-uri: a reporting URI with its optional "!size" limit,
// kept for the aggregate-report step (not used by the check itself).
struct ReportUri {
  std::string uri;         // as published, e.g. "mailto:d@example.com"
  uint64_t max_bytes = 0;  // 0: no limit given
};

// 6.6.2-6.6.3: defaults are those of 6.3 for absent tags.
struct DmarcRecord {
  Policy policy = Policy::kNone;
  std::optional<Policy> subdomain_policy;              // "sp"; absent: "p" applies
  int percent = 100;                                   // "pct", 0..100
  Alignment dkim_alignment = Alignment::kRelaxed;      // "adkim"
  Alignment spf_alignment = Alignment::kRelaxed;       // "aspf"
  std::vector<ReportUri> aggregate_uris;               // "rua"
  std::vector<ReportUri> failure_uris;                 // "ruf"
  std::vector<std::string> failure_options = {"0"};    // "fo": 0, 1, d, s
  std::vector<std::string> report_formats = {"afrf"};  // "rf"
  uint32_t report_interval = 86400;                    // "ri", seconds
  // 6.6.3 step 6: "p" (or "sp") was missing or invalid but "rua" held a
  // valid URI, so the record is read as p=none.
  bool policy_defaulted = false;
};

struct ParsedDmarcRecord {
  std::optional<DmarcRecord> record;  // absent: the record is unusable
  std::string error;                  // why, naming the tag
};

// 6.4: the whole record is checked; a syntax error in any known tag makes it
// unusable (the caller reports permerror). Unknown tags are ignored (6.3).
// `text` must start with the version tag (HasDmarcVersion).
ParsedDmarcRecord ParseDmarcRecord(std::string_view text);

// 6.6.3 step 3: true when the TXT record starts with "v=DMARC1" (ABNF
// literals are case-insensitive, RFC 5234 2.3; spaces around "=" allowed).
bool HasDmarcVersion(std::string_view text);

enum class Selection {
  kNone,      // no record starts with v=DMARC1
  kOne,       // exactly one does: `text`
  kMultiple,  // 6.6.3 step 3: more than one: no DMARC processing
};
struct SelectedRecord {
  Selection selection = Selection::kNone;
  std::string text;
};
SelectedRecord SelectDmarcRecord(const std::vector<std::string>& texts);

}  // namespace portcullis::dmarc
