// The decoding chain of one leaf part: transfer decoding, OnDecodedBytes
// within the message's budget, and for text parts charset conversion to
// UTF-8, HTML reduction, OnText and URL extraction. Created by MimeParser
// when a leaf part's headers end, fed its body lines, finished at the part's
// end. One thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "mime/charset_decoder.h"
#include "mime/html_reducer.h"
#include "mime/mime_context.h"
#include "mime/transfer_decoder.h"
#include "portcullis/mime.h"

namespace portcullis::mime {

class LeafPipeline : private HtmlReducer::Output {
 public:
  // `text`: decode to UTF-8 text; `html`: and reduce HTML.
  LeafPipeline(MessageContext* context, const PartInfo& info, TransferDecoder::Kind kind, bool text,
               bool html);

  // One body line (without its line end); `complete` false for the pieces
  // of a line cut at max_line_bytes.
  void Line(std::string_view data, bool complete);
  // End of the part (the last line's line end belongs to the boundary).
  void Finish();

 private:
  void Decoded(std::string_view bytes);
  void Utf8(std::string_view utf8);
  void TextOut(std::string_view utf8, Url::Source source);
  void CheckDecoder();
  void HtmlText(std::string_view utf8) override;
  void HtmlLink(std::string_view url) override;

  MessageContext* context_;
  PartInfo info_;
  TransferDecoder decoder_;
  std::unique_ptr<CharsetDecoder> charset_;  // text parts only
  std::unique_ptr<HtmlReducer> html_;        // text/html only
  bool pending_newline_ = false;
  std::string decoded_;  // scratch
  std::string utf8_;     // scratch
  std::string text_;     // scratch
};

}  // namespace portcullis::mime
