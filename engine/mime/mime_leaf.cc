#include "mime/mime_leaf.h"

namespace portcullis::mime {

LeafPipeline::LeafPipeline(MessageContext* context, const PartInfo& info,
                           TransferDecoder::Kind kind, bool text, bool html)
    : context_(context), info_(info), decoder_(kind) {
  if (text) {
    charset_ = std::make_unique<CharsetDecoder>(info.charset);
    if (!charset_->known()) {
      context_->Flag("MIME_BAD_CHARSET", "unknown charset '" + info.charset + "' at " +
                                             PartLabel(info) + "; read as UTF-8/windows-1252");
    }
  }
  if (text && html) html_ = std::make_unique<HtmlReducer>(static_cast<HtmlReducer::Output*>(this));
}

void LeafPipeline::Line(std::string_view data, bool complete) {
  decoded_.clear();
  if (pending_newline_) {
    decoder_.NewLine(&decoded_);
    pending_newline_ = false;
  }
  decoder_.Feed(data, complete, &decoded_);
  if (complete) pending_newline_ = true;
  CheckDecoder();
  Decoded(decoded_);
}

void LeafPipeline::Finish() {
  decoded_.clear();
  decoder_.Finish(&decoded_);
  CheckDecoder();
  Decoded(decoded_);
  if (charset_) {
    utf8_.clear();
    charset_->Finish(&utf8_);
    Utf8(utf8_);
  }
  if (html_) html_->Finish();
  context_->urls.EndText();
}

void LeafPipeline::CheckDecoder() {
  if (!decoder_.saw_bad_input()) return;
  if (info_.transfer_encoding == "base64") {
    context_->Flag("MIME_BAD_BASE64",
                   "characters outside the base64 alphabet at " + PartLabel(info_) + "; skipped");
  } else {
    context_->Flag("MIME_BAD_QP", "malformed '=' escape at " + PartLabel(info_) + "; kept");
  }
}

void LeafPipeline::Decoded(std::string_view bytes) {
  if (bytes.empty()) return;
  bytes = bytes.substr(0, context_->TakeDecoded(bytes.size(), info_));
  if (bytes.empty()) return;
  context_->sink->OnDecodedBytes(info_, bytes);
  if (!charset_) return;
  utf8_.clear();
  charset_->Feed(bytes, &utf8_);
  Utf8(utf8_);
}

void LeafPipeline::Utf8(std::string_view utf8) {
  if (utf8.empty()) return;
  if (html_) {
    html_->Feed(utf8);
  } else {
    TextOut(utf8, Url::Source::kText);
  }
}

void LeafPipeline::TextOut(std::string_view utf8, Url::Source source) {
  // Text lines end in "\n": the CR of the canonical CRLF is dropped.
  text_.clear();
  for (char c : utf8) {
    if (c != '\r') text_.push_back(c);
  }
  if (text_.empty()) return;
  context_->sink->OnText(info_, text_);
  context_->urls.Text(text_, source);
}

void LeafPipeline::HtmlText(std::string_view utf8) { TextOut(utf8, Url::Source::kHtmlText); }

void LeafPipeline::HtmlLink(std::string_view url) {
  context_->urls.Target(url, Url::Source::kHtmlHref);
}

}  // namespace portcullis::mime
