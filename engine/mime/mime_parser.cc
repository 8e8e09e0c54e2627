#include "mime/mime_parser.h"

#include "mime/mime_context.h"
#include "mime/mime_entity.h"

namespace portcullis {

using mime::Entity;
using mime::Limits;
using mime::MessageContext;
using mime::PartLabel;
using mime::Sink;

MimeParser::MimeParser(const Limits& limits, Sink* sink,
                       std::shared_ptr<const PublicSuffixList> psl)
    : psl_(std::move(psl)), context_(std::make_unique<MessageContext>(limits, sink, psl_.get())) {
  PushPart(0, false);
}

MimeParser::~MimeParser() = default;

void MimeParser::Header(std::string_view name, std::string_view value) {
  if (ended_ || headers_done_) return;
  // The MTA bounds header size already; this keeps our copies bounded too.
  EmitHeader(*stack_.front(), name.substr(0, mime::kMaxHeaderFieldBytes),
             value.substr(0, mime::kMaxHeaderFieldBytes));
}

void MimeParser::EndOfHeaders() {
  if (ended_ || headers_done_) return;
  headers_done_ = true;
  EndHeaders(*stack_.front(), /*descend=*/true);
}

void MimeParser::Body(std::string_view chunk) {
  if (ended_) return;
  if (!headers_done_) EndOfHeaders();
  const size_t max_line = context_->limits.max_line_bytes;
  size_t i = 0;
  while (i < chunk.size()) {
    const size_t nl = chunk.find('\n', i);
    if (nl == std::string_view::npos) {
      AppendPartial(chunk.substr(i));
      return;
    }
    std::string_view piece = chunk.substr(i, nl - i);
    i = nl + 1;
    if (carry_.empty() && line_start_ && piece.size() <= max_line) {
      // The common case: a whole line inside this chunk, no copy.
      if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
      Segment(piece, true);
      continue;
    }
    AppendPartial(piece);
    std::string line = std::move(carry_);
    carry_.clear();
    if (!line.empty() && line.back() == '\r') line.pop_back();
    Segment(line, true);
  }
}

void MimeParser::AppendPartial(std::string_view data) {
  const size_t max_line = context_->limits.max_line_bytes;
  while (!data.empty()) {
    const size_t room = max_line - carry_.size();
    const size_t take = data.size() < room ? data.size() : room;
    carry_.append(data.substr(0, take));
    data.remove_prefix(take);
    if (carry_.size() >= max_line) {
      // Security: a line without end must not grow without bound; cut it
      // at exactly max_line_bytes so the cut does not depend on chunking.
      context_->Flag("MIME_LONG_LINE", "a line longer than " + std::to_string(max_line) +
                                           " bytes in " + PartLabel(stack_.back()->info) + "; cut");
      std::string piece = std::move(carry_);
      carry_.clear();
      Segment(piece, false);
    }
  }
}

void MimeParser::Segment(std::string_view data, bool complete) {
  const bool at_line_start = line_start_;
  line_start_ = complete;
  // RFC 2046 5.1.1: delimiters are whole lines starting with "--".
  if (at_line_start && complete && data.size() >= 2 && data[0] == '-' && data[1] == '-' &&
      MatchBoundary(data)) {
    return;
  }
  Dispatch(data, complete, at_line_start);
}

void MimeParser::Dispatch(std::string_view data, bool complete, bool at_line_start) {
  Entity& top = *stack_.back();
  if (top.in_headers) {
    bool body_line = false;
    HeaderLine(top, data, complete, at_line_start, &body_line);
    // A line that is no header ended the headers; it belongs to the body
    // of what is now on top.
    if (body_line) Dispatch(data, complete, at_line_start);
    return;
  }
  if (top.kind == Entity::Kind::kLeaf && top.leaf) top.leaf->Line(data, complete);
  // Preamble and epilogue of a multipart, skipped parts: ignored.
}

bool MimeParser::MatchBoundary(std::string_view line) {
  std::string_view rest = line.substr(2);
  for (size_t k = stack_.size(); k-- > 0;) {
    Entity& e = *stack_[k];
    if (e.kind != Entity::Kind::kMultipart || e.in_headers || e.closed) continue;
    if (rest.substr(0, e.boundary.size()) != e.boundary) continue;
    std::string_view after = rest.substr(e.boundary.size());
    // RFC 2046 5.1.1: transport padding (whitespace) may follow.
    while (!after.empty() && (after.back() == ' ' || after.back() == '\t')) after.remove_suffix(1);
    const bool close = after == "--";
    if (!close && !after.empty()) continue;
    while (stack_.size() > k + 1) CloseTop(false);
    if (close) {
      e.closed = true;
    } else {
      PushPart(e.info.depth + 1, e.info.content_type == "multipart/digest");
    }
    return true;
  }
  return false;
}

void MimeParser::PushPart(int depth, bool digest_child) {
  auto entity = std::make_unique<Entity>();
  entity->info.depth = depth;
  entity->info.content_type = digest_child ? "message/rfc822" : "text/plain";
  entity->info.transfer_encoding = "7bit";
  entity->digest_child = digest_child;
  if (parts_ >= context_->limits.max_parts) {
    // Past the limit the part is skipped whole: its lines are ignored
    // until a boundary of an enclosing multipart.
    context_->Flag("MIME_PART_LIMIT", "more than " + std::to_string(context_->limits.max_parts) +
                                          " parts; the rest are not parsed");
    entity->in_headers = false;
    entity->kind = Entity::Kind::kSkip;
    entity->info.index = -1;
  } else {
    entity->info.index = parts_++;
  }
  stack_.push_back(std::move(entity));
}

void MimeParser::CloseTop(bool at_end) {
  Entity& e = *stack_.back();
  if (e.in_headers) {
    FlushField(e);
    EndHeaders(e, /*descend=*/false);
  }
  if (e.kind == Entity::Kind::kMultipart && !e.closed) {
    context_->Flag("MIME_UNCLOSED_MULTIPART",
                   PartLabel(e.info) + " has no close delimiter \"--" + e.boundary + "--\"" +
                       (at_end ? " before the end of the message" : " before its parent's"));
  }
  if (e.leaf) e.leaf->Finish();
  if (e.started) context_->sink->OnPartEnd(e.info);
  stack_.pop_back();
}

void MimeParser::End() {
  if (ended_) return;
  if (!headers_done_) EndOfHeaders();
  if (!carry_.empty() || !line_start_) {
    std::string line = std::move(carry_);
    carry_.clear();
    if (!line.empty() && line.back() == '\r') line.pop_back();
    Segment(line, true);
  }
  while (!stack_.empty()) CloseTop(true);
  context_->urls.EndText();
  if (context_->urls.limit_hit()) {
    context_->Flag("MIME_URL_LIMIT", "more than " + std::to_string(context_->limits.max_urls) +
                                         " distinct URLs or addresses; the rest not reported");
  }
  ended_ = true;
}

}  // namespace portcullis
