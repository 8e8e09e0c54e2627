// One row of DMARC aggregate-report data (RFC 7489 7.2, Appendix C) as the
// dmarc check records it per evaluated message, and its on-disk form: one
// JSON object on one line (dmarc_report_store.h keeps the files).
//
// The line format is stable (keys in a fixed order, "v":1 first) so that
// operators can read the files with jq and old files stay readable; a new
// field means a new key, never a changed meaning.
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::dmarc {

// A message can carry any number of signatures; a report row keeps this many
// (the rest are dropped) so that one line stays small. OpenDMARC's history
// table has no bound; 16 is far above what real mail carries.
inline constexpr size_t kMaxReportedSignatures = 16;

// Appendix C PolicyPublishedType: the record the decision was made with.
struct PublishedPolicy {
  std::string domain;  // where the record was found (no "_dmarc.")
  std::string adkim;   // "r" or "s"
  std::string aspf;    // "r" or "s"
  std::string p;       // "none", "quarantine", "reject"
  std::string sp;      // "sp", or "p" when the record has no "sp"
  int pct = 100;

  bool operator==(const PublishedPolicy&) const = default;
};

struct DkimAuth {  // Appendix C DKIMAuthResultType
  std::string domain;
  std::string selector;
  std::string result;  // RFC 8601 name: "pass", "fail", ...

  bool operator==(const DkimAuth&) const = default;
};

struct SpfAuth {  // Appendix C SPFAuthResultType
  std::string domain;
  std::string scope;   // "mfrom" or "helo"
  std::string result;  // "none" when no spf result was available

  bool operator==(const SpfAuth&) const = default;
};

struct ReportRecord {
  std::string date;  // UTC day "YYYY-MM-DD" the message was evaluated
  std::string source_ip;
  std::string header_from;
  std::string envelope_from;  // RFC5321.MailFrom domain; "" for <>
  PublishedPolicy policy;
  std::string disposition;   // "none", "quarantine", "reject"
  std::string dkim_aligned;  // policy_evaluated dkim: "pass" or "fail"
  std::string spf_aligned;   // policy_evaluated spf: "pass" or "fail"
  std::vector<DkimAuth> dkim;
  SpfAuth spf;

  bool operator==(const ReportRecord&) const = default;
};

// The JSON object for `record`, ending with "\n". Strings are escaped per
// RFC 8259 7 (control characters, '"', '\\'; bytes >= 0x80 are passed
// through, so a non-UTF-8 header domain stays what it was).
std::string RecordToJsonLine(const ReportRecord& record);

// Parses one line written by RecordToJsonLine (the trailing "\n" optional).
// Unknown keys are ignored (a later version may add some); a malformed line
// (e.g. torn by a crash mid-write) gives nullopt, never a partial record.
std::optional<ReportRecord> RecordFromJsonLine(std::string_view line);

}  // namespace portcullis::dmarc
