// libFuzzer target for the DMARC record parser, the Public Suffix List
// parser and lookup, and Punycode (STYLE.md: every parser has a fuzz target
// with a seed corpus, here tests/fuzz_corpus/).
//
//   portcullis_dmarc_fuzz plugins/dmarc/tests/fuzz_corpus
//
// The input is parsed as a record (prefixed with "v=DMARC1; " when it lacks
// one), as a list file, and each of its lines is looked up in a fixed list
// and converted to an A-label. Results must respect their invariants.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dmarc_record.h"
#include "portcullis/public_suffix.h"

using namespace portcullis;
using namespace portcullis::dmarc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string text(input);
  if (!HasDmarcVersion(text)) text = "v=DMARC1; " + text;
  ParsedDmarcRecord parsed = ParseDmarcRecord(text);
  if (parsed.record) {
    if (parsed.record->percent < 0 || parsed.record->percent > 100) std::abort();
  } else if (parsed.error.empty()) {
    std::abort();
  }

  std::string error;
  auto own = PublicSuffixList::Parse(input, "fuzz", PslSections::kAll, &error);
  if (!own && error.empty()) std::abort();

  static const auto list = [] {
    std::string ignored;
    return PublicSuffixList::Parse("com\nco.uk\n*.ck\n!www.ck\n公司.cn\n", "fixed",
                                   PslSections::kAll, &ignored);
  }();
  size_t start = 0;
  while (start <= input.size()) {
    size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    std::string_view line = input.substr(start, end - start);
    start = end + 1;
    auto suffix = list->PublicSuffix(line);
    auto registrable = list->RegistrableDomain(line);
    // The registrable domain ends with the suffix and has one more label.
    if (registrable && (!suffix || registrable->size() <= suffix->size())) std::abort();
    (void)list->OrganizationalDomain(line);
    if (own) (void)own->RegistrableDomain(line);
    if (auto a_label = ToALabel(line); a_label && a_label->empty() && !line.empty()) std::abort();
  }
  return 0;
}
