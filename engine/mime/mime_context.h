// Per-message state the MIME parser's pieces share: the Sink, the URL
// extractor, the decoded-bytes budget and the anomalies already reported
// (each symbol at most once per message). Owned by MimeParser, used by its
// thread only.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "mime/url_extractor.h"
#include "portcullis/mime.h"

namespace portcullis::mime {

class MessageContext {
 public:
  MessageContext(const Limits& limits, Sink* sink, const PublicSuffixList* psl)
      : limits(limits), sink(sink), urls(sink, limits.max_urls, psl) {}

  // Reports `symbol` unless it was reported before for this message.
  void Flag(std::string_view symbol, std::string detail);

  // How many of `want` decoded bytes may still be produced; flags
  // MIME_DECODED_SIZE_LIMIT when the budget runs out.
  size_t TakeDecoded(size_t want, const PartInfo& part);
  bool decoding_stopped() const { return decoding_stopped_; }

  const Limits limits;
  Sink* const sink;
  UrlExtractor urls;

 private:
  std::set<std::string, std::less<>> flagged_;
  uint64_t decoded_bytes_ = 0;
  bool decoding_stopped_ = false;
};

std::string PartLabel(const PartInfo& part);  // "part 3 (text/html)"

}  // namespace portcullis::mime
