// libFuzzer target for the engine's parsers of client-controlled text: the
// stored-message splitter (portcullis scan), the Authentication-Results
// authserv-id test (run on every incoming A-R header) and address parsing.
// Build with -DPORTCULLIS_FUZZ=ON and clang; seed corpus in corpus/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pipeline/auth_results.h"
#include "portcullis/ip_address.h"
#include "util/message_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  portcullis::MessageParts parts = portcullis::SplitMessageFile(input);
  for (const portcullis::HeaderField& header : parts.headers) {
    // Invariants the milter adapter relies on: names never hold a colon or
    // a line end, and every value line but the first is a fold.
    if (header.name.find_first_of(":\r\n") != std::string::npos) __builtin_trap();
    portcullis::AuthResultsClaimsId(header.value, "mx.example");
  }
  if (!parts.body.empty() && parts.body.size() < 2) __builtin_trap();
  portcullis::IpNetwork::Parse(input.substr(0, 64));
  return 0;
}
