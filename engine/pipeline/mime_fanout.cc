#include "pipeline/mime_fanout.h"

#include "mime/mime_parser.h"

namespace portcullis {

MimeFanout::MimeFanout(std::vector<mime::Sink*> sinks, const mime::Limits& limits,
                       std::shared_ptr<const PublicSuffixList> psl)
    : sinks_(std::move(sinks)),
      parser_(std::make_unique<MimeParser>(limits, this, std::move(psl))) {}

MimeFanout::~MimeFanout() = default;

void MimeFanout::Header(std::string_view name, std::string_view value) {
  parser_->Header(name, value);
}
void MimeFanout::EndOfHeaders() { parser_->EndOfHeaders(); }
void MimeFanout::Body(std::string_view chunk) { parser_->Body(chunk); }
void MimeFanout::End() {
  if (ended_) return;
  ended_ = true;
  parser_->End();
}

void MimeFanout::OnHeader(const mime::PartInfo& part, std::string_view name,
                          std::string_view value) {
  for (mime::Sink* sink : sinks_) sink->OnHeader(part, name, value);
}
void MimeFanout::OnPartStart(const mime::PartInfo& part) {
  for (mime::Sink* sink : sinks_) sink->OnPartStart(part);
}
void MimeFanout::OnText(const mime::PartInfo& part, std::string_view utf8) {
  for (mime::Sink* sink : sinks_) sink->OnText(part, utf8);
}
void MimeFanout::OnDecodedBytes(const mime::PartInfo& part, std::string_view bytes) {
  for (mime::Sink* sink : sinks_) sink->OnDecodedBytes(part, bytes);
}
void MimeFanout::OnPartEnd(const mime::PartInfo& part) {
  for (mime::Sink* sink : sinks_) sink->OnPartEnd(part);
}
void MimeFanout::OnUrl(const mime::Url& url) {
  for (mime::Sink* sink : sinks_) sink->OnUrl(url);
}
void MimeFanout::OnEmailAddress(const mime::EmailAddress& address) {
  for (mime::Sink* sink : sinks_) sink->OnEmailAddress(address);
}
void MimeFanout::OnAnomaly(const mime::Anomaly& anomaly) {
  for (const Symbol& seen : anomalies_) {
    if (seen.name == anomaly.symbol) return;
  }
  anomalies_.push_back({anomaly.symbol, 0, anomaly.detail});
  for (mime::Sink* sink : sinks_) sink->OnAnomaly(anomaly);
}

}  // namespace portcullis
