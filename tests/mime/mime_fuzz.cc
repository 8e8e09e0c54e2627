// libFuzzer target for the MIME parser (STYLE.md: every parser has a fuzz
// target with a seed corpus -- here tests/data/mime/*.eml):
//
//   portcullis_mime_fuzz tests/data/mime
//
// The input is split like a stored message (headers, then body) and fed in
// chunks whose size comes from the first byte; small limits make the limit
// paths reachable. Invariants: part and URL counts stay within the limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mime/mime_parser.h"
#include "util/message_file.h"

namespace {

class CountingSink : public portcullis::mime::Sink {
 public:
  void OnPartStart(const portcullis::mime::PartInfo&) override { ++parts; }
  void OnUrl(const portcullis::mime::Url&) override { ++urls; }
  int parts = 0;
  int urls = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 97;
  std::string_view raw(reinterpret_cast<const char*>(data) + 1, size - 1);
  portcullis::mime::Limits limits;
  limits.max_depth = 8;
  limits.max_parts = 50;
  limits.max_line_bytes = 512;
  limits.max_urls = 20;
  limits.max_decoded_bytes = 1 << 16;
  CountingSink sink;
  portcullis::MimeParser parser(limits, &sink, nullptr);
  const portcullis::MessageParts split = portcullis::SplitMessageFile(raw);
  for (const auto& h : split.headers) parser.Header(h.name, h.value);
  parser.EndOfHeaders();
  std::string_view body = split.body;
  for (size_t i = 0; i < body.size(); i += chunk) parser.Body(body.substr(i, chunk));
  parser.End();
  if (sink.parts > limits.max_parts || sink.urls > limits.max_urls) std::abort();
  return 0;
}
