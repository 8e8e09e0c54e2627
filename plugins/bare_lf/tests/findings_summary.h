// Test helper: a compact, comparable text form of ScanFindings, so that test
// tables can say "want BARE_LF_BODY:1@3" and failures print got vs want.
#pragma once

#include <string>

#include "line_end_scanner.h"

namespace portcullis::bare_lf {

// "KIND:count@first_offset" joined by spaces, the smuggling pattern in
// brackets; "clean" when nothing was found.
inline std::string Summary(const ScanFindings& findings) {
  std::string out;
  for (FindingKind kind : kAllFindingKinds) {
    const FindingCount& found = findings[kind];
    if (found.count == 0) continue;
    if (!out.empty()) out += ' ';
    out += std::string(FindingSymbol(kind)) + ":" + std::to_string(found.count) + "@" +
           std::to_string(found.first_offset);
    if (kind == FindingKind::kSmuggling) {
      out += "[" + std::string(SmugglingPatternName(findings.first_smuggling)) + "]";
    }
  }
  return out.empty() ? "clean" : out;
}

}  // namespace portcullis::bare_lf
