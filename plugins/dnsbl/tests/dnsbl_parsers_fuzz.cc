// libFuzzer target for what the dnsbl check reads from the network and the
// client: From header values, HELO and domain names, and DNS answers.
// The first input byte picks the parser; the rest is its input.
// Build with -DPORTCULLIS_FUZZ=ON and clang; run:
//   ./portcullis_dnsbl_fuzz -max_total_time=60 $(mktemp -d) plugins/dnsbl/tests/corpus
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dnsbl_answer.h"
#include "portcullis/from_header.h"
#include "dnsbl_names.h"

namespace {

using namespace portcullis;
using namespace portcullis::dnsbl;

void CheckDomain(const std::optional<std::string>& domain) {
  if (!domain) return;
  // Invariants the query builder relies on.
  if (domain->empty() || domain->size() > kMaxNameLength) std::abort();
  for (char c : *domain) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0:
      for (const std::string& text : ParseFromDomains(input).domains) {
        if (text.empty()) std::abort();
        CheckDomain(NormaliseDomain(text));
      }
      break;
    case 1:
      CheckDomain(HeloDomain(input));
      CheckDomain(NormaliseDomain(input));
      break;
    case 2: {
      // Each 4 bytes are one A record of an answer to a list with rules.
      dns::Answer answer;
      answer.status = dns::Status::kOk;
      for (size_t i = 0; i + 4 <= input.size() && answer.addresses.size() < 64; i += 4) {
        answer.addresses.push_back(IpAddress::FromV4(
            {static_cast<uint8_t>(input[i]), static_cast<uint8_t>(input[i + 1]),
             static_cast<uint8_t>(input[i + 2]), static_cast<uint8_t>(input[i + 3])}));
      }
      DnsblList list;
      list.zone = "bl.example";
      list.codes = {{0x7f000002, 0x7f000002, {"BL_TWO", 1}, ""},
                    {0x7f000001, 0x7f000001, {}, "refused"}};
      list.masks = {{0x08, {"BL_MASK", 1}}};
      list.default_symbol = SymbolScore{"BL_OTHER", 1};
      ListAnswer classified = Classify(list, answer);
      // A listing never coexists with an error, and only 127/8 codes list.
      if (classified.kind == ListAnswer::Kind::kListed && !classified.error.empty()) std::abort();
      for (const Listing& listing : classified.listings) {
        if (listing.code.rfind("127.", 0) != 0 || listing.symbols.empty()) std::abort();
      }
      break;
    }
  }
  return 0;
}
