// Test support for tests/mime: a mime::Sink that records every event, a
// rendering of the record in the golden-file text format, and helpers that
// feed a stored message to a MimeParser the way the milter would.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mime/mime_parser.h"
#include "portcullis/mime.h"

namespace portcullis::mime::testing {

class RecordingSink : public Sink {
 public:
  void OnHeader(const PartInfo& part, std::string_view name, std::string_view value) override;
  void OnPartStart(const PartInfo& part) override;
  void OnText(const PartInfo& part, std::string_view utf8) override;
  void OnDecodedBytes(const PartInfo& part, std::string_view bytes) override;
  void OnPartEnd(const PartInfo& part) override;
  void OnUrl(const Url& url) override;
  void OnEmailAddress(const EmailAddress& address) override;
  void OnAnomaly(const Anomaly& anomaly) override;

  // The golden format: sections "== parts", "== headers", "== text N",
  // "== bytes", "== urls", "== emails", "== anomalies"; text and bytes
  // joined per part, so the rendering does not depend on chunking.
  std::string Render() const;

  std::vector<std::string> structure;  // part starts/ends and headers, in order
  std::vector<PartInfo> parts;         // OnPartStart order
  std::map<int, std::string> text;     // per part index
  std::map<int, std::string> bytes;    // per part index
  std::vector<Url> urls;
  std::vector<EmailAddress> emails;
  std::vector<Anomaly> anomalies;
  size_t events = 0;
  size_t text_calls = 0;
  size_t max_text_bytes = 0;  // kept per part; callers can bound it

  bool HasAnomaly(std::string_view symbol) const;
};

// Feeds `raw` (a stored message, LF or CRLF) as headers and body chunks of
// `chunk` bytes (0: the body whole).
void FeedMessage(MimeParser* parser, std::string_view raw, size_t chunk);

// Parses `raw` with `limits`, chunk size `chunk`, the system PSL if present.
std::unique_ptr<RecordingSink> ParseMessage(std::string_view raw, size_t chunk = 0,
                                            const Limits& limits = Limits());

std::string UrlSourceName(Url::Source source);

}  // namespace portcullis::mime::testing
