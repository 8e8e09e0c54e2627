// The RFC 7489 Appendix C aggregate report (<feedback>) for one Domain Owner
// and one UTC day, built from the rows dmarc_report_store.h recorded.
//
// Rows with the same source IP, disposition, policy_evaluated, identifiers
// and auth_results become one <record> with a <count>. Every value is
// XML-escaped (Security: header_from and the DKIM/SPF domains come from the
// message and the client).
//
// Pure functions over plain values; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dmarc_report_json.h"

namespace portcullis::dmarc {

struct ReportMetadata {
  std::string org_name;
  std::string email;
  std::string report_id;
  int64_t begin = 0;  // date_range, UTC epoch seconds, inclusive
  int64_t end = 0;
};

// &, <, >, " and ' as entities; control characters other than TAB, CR and
// LF are not allowed in XML 1.0 (2.2) and are dropped.
std::string XmlEscape(std::string_view text);

// The report for the rows whose policy_published domain is `domain`
// (case-insensitive); the others are ignored. <policy_published> is that of
// the last matching row (the record in force at the end of the day); with no
// rows it names only the domain with p=none, sp=none, pct=100, and there is
// no <record> (Appendix C wants at least one: a report with nothing to say
// is normally not sent).
std::string BuildAggregateXml(const ReportMetadata& metadata, const std::string& domain,
                              const std::vector<ReportRecord>& rows);

}  // namespace portcullis::dmarc
