// Finds URLs and e-mail addresses in the decoded text of a message and
// reports each once (per message) to the Sink, up to Limits::max_urls.
//
// Text arrives in chunks with arbitrary boundaries: the extractor splits it
// into whitespace-delimited tokens and carries an unfinished token (up to
// kMaxTokenBytes) to the next chunk, so a URL split across chunks is found
// exactly as if the text had come whole. EndText() ends a part's text.
// href/src values and header URLs come whole through Target().
//
// One extractor per message (it holds the deduplication sets), used by the
// parser's thread; `sink` and `psl` outlive it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>

#include "portcullis/mime.h"
#include "portcullis/public_suffix.h"

namespace portcullis::mime {

// Longer tokens are cut: tracking links run to 2 KB, nothing real to 8.
inline constexpr size_t kMaxTokenBytes = 8192;

class UrlExtractor {
 public:
  UrlExtractor(Sink* sink, int max_urls, const PublicSuffixList* psl)
      : sink_(sink), max_urls_(max_urls), psl_(psl) {}

  void Text(std::string_view text, Url::Source source);
  void EndText();
  // A whole link target (href, src): absolute URLs, "www.", "//host" and
  // mailto:; relative links are ignored.
  void Target(std::string_view target, Url::Source source);

  // True once a URL or address was dropped because of max_urls.
  bool limit_hit() const { return limit_hit_; }

 private:
  void Token(std::string_view token);
  void Emails(std::string_view segment);
  void Mailto(std::string_view candidate, Url::Source source);
  void Report(Url url);
  void ReportEmail(EmailAddress address);

  Sink* sink_;
  int max_urls_;
  const PublicSuffixList* psl_;
  std::string carry_;
  Url::Source source_ = Url::Source::kText;
  std::unordered_set<std::string> seen_urls_;
  std::unordered_set<std::string> seen_emails_;
  bool limit_hit_ = false;
};

}  // namespace portcullis::mime
