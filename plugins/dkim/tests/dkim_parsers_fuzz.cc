// libFuzzer target for the DKIM parsers and canonicalizers (STYLE.md: every
// parser has a fuzz target with a seed corpus, here tests/fuzz_corpus/).
//
//   portcullis_dkim_fuzz plugins/dkim/tests/fuzz_corpus
//
// The input is parsed as a DKIM-Signature value and as a key record, its
// b= is removed, it is canonicalized as a header field (both ways), and it
// is streamed as a body through both body canonicalizations in two chunks
// split at an input-chosen point. Nothing may crash or exceed its bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dkim_body_hash.h"
#include "dkim_header_canon.h"
#include "dkim_key.h"
#include "dkim_signature.h"
#include "dkim_tag_list.h"

using namespace portcullis;
using namespace portcullis::dkim;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  SignatureParseError error;
  if (auto sig = ParseSignature(input, &error)) {
    if (sig->signed_headers.size() > kMaxSignedHeaders) std::abort();
    if (sig->signed_headers.empty()) std::abort();
  }
  std::string key_error;
  (void)ParseKeyRecord(input, &key_error);
  (void)WithoutSignatureValue(input);
  (void)DecodeBase64(input);
  for (auto canon : {Canonicalization::kSimple, Canonicalization::kRelaxed}) {
    (void)CanonicalizeHeader(canon, "DKIM-Signature", input);
    const size_t split = size == 0 ? 0 : data[0] % (size + 1);
    BodyHasher hasher(canon, HashAlgorithm::kSha256,
                      size % 3 == 0 ? std::optional<uint64_t>(size / 2) : std::nullopt);
    hasher.Update(input.substr(0, split));
    hasher.Update(input.substr(split));
    if (hasher.Finish().size() != 32) std::abort();
  }
  return 0;
}
