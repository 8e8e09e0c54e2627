#include "mime/mime_context.h"

namespace portcullis::mime {

void MessageContext::Flag(std::string_view symbol, std::string detail) {
  if (flagged_.count(symbol)) return;
  flagged_.emplace(symbol);
  Anomaly anomaly;
  anomaly.symbol = std::string(symbol);
  anomaly.detail = std::move(detail);
  sink->OnAnomaly(anomaly);
}

size_t MessageContext::TakeDecoded(size_t want, const PartInfo& part) {
  if (decoding_stopped_) return 0;
  const uint64_t room = limits.max_decoded_bytes - decoded_bytes_;
  if (want <= room) {
    decoded_bytes_ += want;
    return want;
  }
  decoded_bytes_ = limits.max_decoded_bytes;
  decoding_stopped_ = true;
  Flag("MIME_DECODED_SIZE_LIMIT", "more than " + std::to_string(limits.max_decoded_bytes) +
                                      " decoded bytes at " + PartLabel(part) +
                                      "; the rest is not decoded");
  return static_cast<size_t>(room);
}

std::string PartLabel(const PartInfo& part) {
  return "part " + std::to_string(part.index) + " (" + part.content_type + ")";
}

}  // namespace portcullis::mime
