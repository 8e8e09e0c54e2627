// libFuzzer entry for the bare_lf scanner (built only with PORTCULLIS_FUZZ
// and clang). Seeds: tests/data/bare_lf/corpus/.
//
// Besides crashes and sanitizer reports it checks the scanner's promise that
// chunk boundaries do not matter: the input scanned whole and cut at two
// points taken from its first bytes must give identical findings. It also
// runs the raw-message scan and the header path over the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "line_end_scanner.h"
#include "raw_message_scan.h"

using portcullis::bare_lf::LineEnds;
using portcullis::bare_lf::LineEndScanner;
using portcullis::bare_lf::ScanFindings;

namespace {

ScanFindings ScanInThree(std::string_view body, size_t a, size_t b, LineEnds line_ends) {
  LineEndScanner scanner(line_ends);
  scanner.OnBody(body.substr(0, a));
  scanner.OnBody(body.substr(a, b - a));
  scanner.OnBody(body.substr(b));
  scanner.EndBody();
  return scanner.findings();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  size_t a = size > 0 ? data[0] % (size + 1) : 0;
  size_t b = size > 1 ? data[1] % (size + 1) : 0;
  if (a > b) std::swap(a, b);
  for (LineEnds line_ends : {LineEnds::kCrLf, LineEnds::kLf}) {
    const ScanFindings whole = LineEndScanner::ScanBody(input, line_ends);
    if (!(ScanInThree(input, a, b, line_ends) == whole)) std::abort();
  }

  // Header path: the first half as a name, the rest as a value.
  LineEndScanner headers;
  headers.OnHeader(input.substr(0, size / 2), input.substr(size / 2));

  (void)portcullis::bare_lf::FormatRawScanReport(portcullis::bare_lf::ScanRawMessage(input));
  return 0;
}
