#include "mime/html_reducer.h"

#include <cstdint>

#include "mime/ascii.h"
#include "mime/charset_decoder.h"

namespace portcullis::mime {
namespace {

constexpr size_t kMaxEntityBytes = 32;
constexpr size_t kMaxTagNameBytes = 16;
constexpr size_t kMaxAttrNameBytes = 32;
// Text is handed out in pieces of about this size.
constexpr size_t kTextFlushBytes = 4096;

struct NamedEntity {
  const char* name;
  uint32_t cp;
};
// The references that occur in mail; the rest of HTML5's 2,000 are rare.
// &nbsp; becomes a plain space: rules match words, not layout.
constexpr NamedEntity kEntities[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", ' '},     {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122}, {"hellip", 0x2026},
    {"mdash", 0x2014}, {"ndash", 0x2013}, {"laquo", 0xAB},   {"raquo", 0xBB},   {"lsquo", 0x2018},
    {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bull", 0x2022},  {"middot", 0xB7},
    {"euro", 0x20AC},  {"pound", 0xA3},   {"yen", 0xA5},     {"cent", 0xA2},    {"sect", 0xA7},
    {"deg", 0xB0},     {"plusmn", 0xB1},  {"times", 0xD7},   {"divide", 0xF7},  {"shy", 0xAD},
    {"zwnj", 0x200C},  {"zwj", 0x200D},   {"auml", 0xE4},    {"ouml", 0xF6},    {"uuml", 0xFC},
    {"Auml", 0xC4},    {"Ouml", 0xD6},    {"Uuml", 0xDC},    {"szlig", 0xDF},   {"eacute", 0xE9},
    {"egrave", 0xE8},  {"agrave", 0xE0},  {"ccedil", 0xE7},  {"iexcl", 0xA1},
};
// Legacy names HTML accepts without the ';'.
bool LegacyWithoutSemicolon(std::string_view name) {
  return name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "nbsp" ||
         name == "copy" || name == "reg";
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }
// Resolves "name" or "#123" or "#x1F" (without '&' and ';'); false when it
// is not a reference we know.
bool ResolveReference(std::string_view ref, bool terminated, std::string* out) {
  if (ref.empty()) return false;
  if (ref[0] == '#') {
    uint32_t cp = 0;
    bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
    std::string_view digits = ref.substr(hex ? 2 : 1);
    if (digits.empty()) return false;
    for (char c : digits) {
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (hex && c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        return false;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
      if (cp > 0x10FFFF) cp = 0x110000;  // stays invalid, no overflow
    }
    if (cp == 0) cp = 0xFFFD;
    AppendUtf8(cp, out);  // surrogates and > U+10FFFF become U+FFFD
    return true;
  }
  if (!terminated && !LegacyWithoutSemicolon(ref)) return false;
  for (const NamedEntity& e : kEntities) {
    if (ref == e.name) {
      AppendUtf8(e.cp, out);
      return true;
    }
  }
  return false;
}

bool IsBlockTag(std::string_view t) {
  static constexpr std::string_view kBlocks[] = {
      "p",       "br",     "div",    "tr",  "li", "h1",         "h2",     "h3",    "h4",
      "h5",      "h6",     "table",  "ul",  "ol", "blockquote", "hr",     "title", "section",
      "article", "header", "footer", "pre", "dd", "dt",         "center", "form",  "body"};
  for (std::string_view b : kBlocks) {
    if (t == b) return true;
  }
  return false;
}

}  // namespace

std::string DecodeHtmlEntities(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t amp = text.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, amp - i));
    size_t j = amp + 1;
    while (j < text.size() && j - amp <= kMaxEntityBytes && (IsAlnum(text[j]) || text[j] == '#'))
      ++j;
    const bool terminated = j < text.size() && text[j] == ';';
    if (ResolveReference(text.substr(amp + 1, j - amp - 1), terminated, &out)) {
      i = terminated ? j + 1 : j;
    } else {
      out.push_back('&');
      i = amp + 1;
    }
  }
  return out;
}

void HtmlReducer::Feed(std::string_view utf8) {
  for (char c : utf8) Step(c);
  FlushText();
}

void HtmlReducer::Finish() {
  if (state_ == State::kEntity) ResolveEntity(false);
  FlushText();
}

void HtmlReducer::Emit(std::string_view s) {
  if (Suppressed() || s.empty()) return;
  if (pending_space_ && last_ != '\n' && last_ != ' ') text_.push_back(' ');
  pending_space_ = false;
  text_.append(s);
  last_ = s.back();
  if (text_.size() >= kTextFlushBytes) FlushText();
}

void HtmlReducer::Break() {
  if (Suppressed()) return;
  pending_space_ = false;
  if (last_ != '\n') {
    text_.push_back('\n');
    last_ = '\n';
  }
}

void HtmlReducer::FlushText() {
  if (text_.empty()) return;
  output_->HtmlText(text_);
  text_.clear();
}

void HtmlReducer::ResolveEntity(bool terminated) {
  std::string decoded;
  if (ResolveReference(entity_, terminated, &decoded)) {
    if (decoded == " ") {
      Space();
    } else {
      Emit(decoded);
    }
  } else {
    Emit("&" + entity_ + (terminated ? ";" : ""));
  }
  entity_.clear();
  state_ = State::kText;
}

void HtmlReducer::AttributeDone() {
  if (attr_ == "href" || attr_ == "src") {
    std::string url = DecodeHtmlEntities(value_);
    size_t b = 0;
    while (b < url.size() && IsSpace(url[b])) ++b;
    size_t e = url.size();
    while (e > b && IsSpace(url[e - 1])) --e;
    if (e > b) {
      FlushText();  // text before the link goes first
      output_->HtmlLink(std::string_view(url).substr(b, e - b));
    }
  }
  attr_.clear();
  value_.clear();
}

void HtmlReducer::TagDone() {
  state_ = State::kText;
  const std::string& t = tag_;
  if (t == "script" || t == "style") {
    if (!closing_) {
      raw_tag_ = t;
      state_ = State::kRawText;
    }
    return;
  }
  if (t == "head") {
    in_head_ = !closing_;
    return;
  }
  if (t == "body" && !closing_) in_head_ = false;
  if (IsBlockTag(t)) {
    Break();
  } else if (t == "td" || t == "th" || t == "img") {
    Space();
  }
}

void HtmlReducer::Step(char c) {
  switch (state_) {
    case State::kText:
      if (c == '<') {
        state_ = State::kTagOpen;
        tag_.clear();
        closing_ = false;
      } else if (c == '&') {
        state_ = State::kEntity;
        entity_.clear();
      } else if (IsSpace(c)) {
        Space();
      } else {
        Emit(std::string_view(&c, 1));
      }
      return;
    case State::kEntity:
      if ((IsAlnum(c) || c == '#') && entity_.size() < kMaxEntityBytes) {
        entity_.push_back(c);
        return;
      }
      ResolveEntity(c == ';');
      if (c != ';') Step(c);
      return;
    case State::kTagOpen:
      if (c == '!') {
        state_ = State::kBang;
      } else if (c == '/' && !closing_) {
        closing_ = true;
      } else if (IsAlpha(c)) {
        tag_.push_back(LowerAscii(c));
        state_ = State::kTagName;
      } else if (c == '?' || closing_) {
        state_ = State::kBogus;
        if (c == '>') state_ = State::kText;
      } else {
        state_ = State::kText;  // "a < b": not a tag
        Emit("<");
        Step(c);
      }
      return;
    case State::kBang:
      state_ = c == '-' ? State::kBangDash : (c == '>' ? State::kText : State::kBogus);
      return;
    case State::kBangDash:
      state_ = c == '-' ? State::kComment : (c == '>' ? State::kText : State::kBogus);
      comment_dashes_ = 0;
      return;
    case State::kComment:
      if (c == '>' && comment_dashes_ >= 2) {
        state_ = State::kText;
      } else {
        comment_dashes_ = c == '-' ? comment_dashes_ + 1 : 0;
      }
      return;
    case State::kBogus:
      if (c == '>') state_ = State::kText;
      return;
    case State::kTagName:
      if (IsAlnum(c)) {
        if (tag_.size() < kMaxTagNameBytes) tag_.push_back(LowerAscii(c));
      } else if (c == '>') {
        TagDone();
      } else {
        state_ = State::kAttrs;
      }
      return;
    case State::kAttrs:
      if (c == '>') {
        TagDone();
      } else if (!IsSpace(c) && c != '/') {
        attr_.assign(1, LowerAscii(c));
        state_ = State::kAttrName;
      }
      return;
    case State::kAttrName:
      if (c == '=') {
        state_ = State::kBeforeValue;
      } else if (c == '>') {
        AttributeDone();
        TagDone();
      } else if (IsSpace(c) || c == '/') {
        state_ = State::kAfterAttrName;
      } else if (attr_.size() < kMaxAttrNameBytes) {
        attr_.push_back(LowerAscii(c));
      }
      return;
    case State::kAfterAttrName:
      if (c == '=') {
        state_ = State::kBeforeValue;
      } else if (c == '>') {
        AttributeDone();
        TagDone();
      } else if (!IsSpace(c) && c != '/') {
        AttributeDone();
        attr_.assign(1, LowerAscii(c));
        state_ = State::kAttrName;
      }
      return;
    case State::kBeforeValue:
      if (c == '"' || c == '\'') {
        quote_ = c;
        state_ = State::kValueQuoted;
      } else if (c == '>') {
        AttributeDone();
        TagDone();
      } else if (!IsSpace(c)) {
        value_.assign(1, c);
        state_ = State::kValueUnquoted;
      }
      return;
    case State::kValueQuoted:
      if (c == quote_) {
        AttributeDone();
        state_ = State::kAttrs;
      } else if (value_.size() < kMaxAttributeBytes) {
        value_.push_back(c);
      }
      return;
    case State::kValueUnquoted:
      if (IsSpace(c)) {
        AttributeDone();
        state_ = State::kAttrs;
      } else if (c == '>') {
        AttributeDone();
        TagDone();
      } else if (value_.size() < kMaxAttributeBytes) {
        value_.push_back(c);
      }
      return;
    case State::kRawText:
      if (c == '<') {
        state_ = State::kRawEnd;
        raw_match_ = 0;
      }
      return;
    case State::kRawEnd:
      // Looking for "</script" or "</style" (any case).
      if (raw_match_ == 0) {
        if (c == '/') {
          raw_match_ = 1;
          return;
        }
      } else if (raw_match_ - 1 < raw_tag_.size()) {
        if (LowerAscii(c) == raw_tag_[raw_match_ - 1]) {
          ++raw_match_;
          return;
        }
      } else if (IsSpace(c) || c == '>' || c == '/') {
        state_ = c == '>' ? State::kText : State::kBogus;
        return;
      }
      state_ = State::kRawText;
      if (c == '<') Step(c);
      return;
  }
}

}  // namespace portcullis::mime
