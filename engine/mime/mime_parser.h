// The streaming MIME parser (RFC 5322, RFC 2045-2047, RFC 2231): fed what
// the milter delivers, it reports parts, decoded headers, decoded bytes,
// UTF-8 text, URLs, e-mail addresses and anomalies to a mime::Sink
// (portcullis/mime.h) while the message is still arriving.
//
// Feed order: Header() for each top-level header (the value as the milter
// sends it with SMFIP_HDR_LEADSPC: leading space kept, folds as "\n" or
// "\r\n"), EndOfHeaders(), Body() chunks of any size (CRLF or bare LF line
// ends), End(). EndOfHeaders() is implied by the first Body() and End()
// implies both; calls after End() are ignored.
//
// Memory is bounded independently of the message size: one partial line
// (at most Limits::max_line_bytes; longer lines are cut and flagged
// MIME_LONG_LINE), one header field per open part (kMaxHeaderFieldBytes),
// a stack of open parts (bounded by Limits::max_depth), a few bytes of
// decoder state per open part and the URL deduplication sets (bounded by
// Limits::max_urls). Nothing of a part's body is buffered.
//
// During a part's headers the PartInfo passed to OnHeader has only index
// and depth final (the rest is known at OnPartStart).
//
// One parser per message, used by one thread at a time; `sink` and `psl`
// must outlive it. `psl` may be null: registered_domain is then left "".
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/mime.h"
#include "portcullis/public_suffix.h"

namespace portcullis {
namespace mime {

class MessageContext;
struct Entity;

// A header field (name, value and folds) longer than this is cut; RFC 5322
// 2.1.1 limits lines to 998 octets, and a folded field of 64 KiB is far
// past anything a mailer writes.
inline constexpr size_t kMaxHeaderFieldBytes = 64 * 1024;
// RFC 2046 5.1.1 limits a boundary to 70 characters; we accept longer ones
// (mailers exceed it) up to this.
inline constexpr size_t kMaxBoundaryBytes = 998;

}  // namespace mime

// In namespace portcullis (not mime): the engine's Session owns one per
// message (pipeline/mime_fanout.h).
class MimeParser {
 public:
  MimeParser(const mime::Limits& limits, mime::Sink* sink,
             std::shared_ptr<const PublicSuffixList> psl);
  ~MimeParser();
  MimeParser(const MimeParser&) = delete;
  MimeParser& operator=(const MimeParser&) = delete;

  void Header(std::string_view name, std::string_view value);
  void EndOfHeaders();
  void Body(std::string_view chunk);
  void End();

 private:
  void AppendPartial(std::string_view data);
  void Segment(std::string_view data, bool complete);
  void Dispatch(std::string_view data, bool complete, bool at_line_start);
  bool MatchBoundary(std::string_view line);
  void PushPart(int depth, bool digest_child);
  void CloseTop(bool at_end);

  // mime_part_headers.cc
  void HeaderLine(mime::Entity& entity, std::string_view data, bool complete, bool at_line_start,
                  bool* body_line);
  void FlushField(mime::Entity& entity);
  void EmitHeader(mime::Entity& entity, std::string_view name, std::string_view value);
  void EndHeaders(mime::Entity& entity, bool descend);

  std::shared_ptr<const PublicSuffixList> psl_;
  std::unique_ptr<mime::MessageContext> context_;
  std::vector<std::unique_ptr<mime::Entity>> stack_;  // [0] is the message
  std::string carry_;                                 // the partial line between Body() calls
  bool line_start_ = true;                            // the next segment starts a line
  int parts_ = 0;                                     // parts created, the message included
  bool headers_done_ = false;
  bool ended_ = false;
};

}  // namespace portcullis
