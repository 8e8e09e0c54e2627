// One message's MIME parse shared by every check that asked for it
// (kStageMime): the parser's events go to each instance's sink in check
// order, and its anomalies become engine symbols in the Report.
//
// Owned by a Session's Transaction; used from that connection's callbacks
// only, one at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "portcullis/check_result.h"
#include "portcullis/mime.h"
#include "portcullis/public_suffix.h"

namespace portcullis {

class MimeParser;

class MimeFanout : public mime::Sink {
 public:
  MimeFanout(std::vector<mime::Sink*> sinks, const mime::Limits& limits,
             std::shared_ptr<const PublicSuffixList> psl);
  ~MimeFanout() override;

  void Header(std::string_view name, std::string_view value);
  void EndOfHeaders();
  void Body(std::string_view chunk);
  // Idempotent: the end of the message, and of the parse.
  void End();

  // MIME_* anomalies seen so far, score 0 (the policy or a meta rule weighs
  // them).
  const std::vector<Symbol>& anomalies() const { return anomalies_; }

  void OnHeader(const mime::PartInfo& part, std::string_view name,
                std::string_view value) override;
  void OnPartStart(const mime::PartInfo& part) override;
  void OnText(const mime::PartInfo& part, std::string_view utf8) override;
  void OnDecodedBytes(const mime::PartInfo& part, std::string_view bytes) override;
  void OnPartEnd(const mime::PartInfo& part) override;
  void OnUrl(const mime::Url& url) override;
  void OnEmailAddress(const mime::EmailAddress& address) override;
  void OnAnomaly(const mime::Anomaly& anomaly) override;

 private:
  std::vector<mime::Sink*> sinks_;
  std::unique_ptr<MimeParser> parser_;
  std::vector<Symbol> anomalies_;
  bool ended_ = false;
};

}  // namespace portcullis
