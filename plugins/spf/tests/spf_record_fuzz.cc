// libFuzzer target for the SPF record and macro parsers (STYLE.md: every
// parser has a fuzz target with a seed corpus, here tests/fuzz_corpus/).
//
//   portcullis_spf_fuzz plugins/spf/tests/fuzz_corpus
//
// The input is parsed as a record (prefixed with "v=spf1 " when it lacks
// one), every domain-spec is expanded, and the input is also parsed and
// expanded as an explanation. Expansions must respect their bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "spf_domain.h"
#include "spf_macro.h"
#include "spf_record.h"

using namespace portcullis;
using namespace portcullis::spf;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string text(input);
  if (!IsSpfRecord(text)) text = "v=spf1 " + text;

  static const IpAddress v6 = *IpAddress::Parse("2001:db8::cb01");
  MacroInputs inputs;
  inputs.sender = "strong-bad@email.example.com";
  inputs.local_part = "strong-bad";
  inputs.sender_domain = "email.example.com";
  inputs.domain = "email.example.com";
  inputs.ip = &v6;
  inputs.helo = "mx.example.org";

  ParsedRecord parsed = ParseRecord(text);
  if (parsed.record) {
    for (const MacroString& spec : parsed.record->specs) {
      const std::string name = spec.Expand(inputs);
      if (name.size() > kMaxMacroOutput) std::abort();
    }
  }
  std::string error;
  if (auto explain = MacroString::Parse(input, MacroContext::kExplainString, &error)) {
    if (explain->Expand(inputs).size() > kMaxMacroOutput) std::abort();
  }
  return 0;
}
