// Streaming HTML to text for content rules: tags dropped, character
// references decoded, <script>, <style>, <head> and comments skipped, block
// elements turned into line breaks so that words do not merge, runs of
// whitespace collapsed. href and src attribute values are handed out as
// links. Not an HTML5 parser: a small state machine that is robust to
// malformed markup and keeps O(1) state between Feed() calls (a tag name,
// an attribute value up to kMaxAttributeBytes, an entity up to 32 bytes).
//
// One reducer per HTML part, one thread. Text produced before a link is
// always handed out before the link, so the order of text and links does
// not depend on how the input was chunked.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace portcullis::mime {

// Attribute values longer than this are cut (a URL in href is rarely over
// 2 KB; data: URIs can be megabytes and are of no use to us).
inline constexpr size_t kMaxAttributeBytes = 8192;

class HtmlReducer {
 public:
  class Output {
   public:
    virtual ~Output() = default;
    virtual void HtmlText(std::string_view utf8) = 0;
    virtual void HtmlLink(std::string_view url) = 0;
  };

  explicit HtmlReducer(Output* output) : output_(output) {}

  void Feed(std::string_view utf8);
  void Finish();

 private:
  enum class State {
    kText,
    kEntity,
    kTagOpen,
    kBang,
    kBangDash,
    kComment,
    kBogus,
    kTagName,
    kAttrs,
    kAttrName,
    kAfterAttrName,
    kBeforeValue,
    kValueQuoted,
    kValueUnquoted,
    kRawText,
    kRawEnd
  };
  void Step(char c);
  void Emit(std::string_view s);
  void Space() { pending_space_ = true; }
  void Break();
  void FlushText();
  void ResolveEntity(bool terminated);
  void AttributeDone();
  void TagDone();
  bool Suppressed() const { return in_head_ || state_ == State::kRawText; }

  Output* output_;
  State state_ = State::kText;
  std::string text_;  // reduced text not yet handed out
  bool pending_space_ = false;
  char last_ = '\n';  // last character emitted ('\n' at start: no leading space)
  std::string entity_;
  std::string tag_;
  bool closing_ = false;
  std::string attr_;
  std::string value_;
  char quote_ = 0;
  int comment_dashes_ = 0;
  bool in_head_ = false;
  std::string raw_tag_;  // "script" or "style" while skipping their content
  size_t raw_match_ = 0;
};

// Decodes character references in an attribute value (not streaming).
std::string DecodeHtmlEntities(std::string_view text);

}  // namespace portcullis::mime
