// MimeParser: the headers of every part -- collecting and unfolding fields
// read from the body, decoding them for OnHeader, and deciding at the end of
// a part's headers what its body is.
#include "mime/header_decode.h"
#include "mime/mime_context.h"
#include "mime/mime_entity.h"
#include "mime/mime_params.h"
#include "mime/mime_parser.h"
#include "portcullis/transaction_info.h"

namespace portcullis {

using mime::DecodeEncodedWords;
using mime::DecodeHeaderValue;
using mime::Entity;
using mime::HeaderDecodeFlags;
using mime::IsAscii;
using mime::IsMediaType;
using mime::kMaxBoundaryBytes;
using mime::kMaxHeaderFieldBytes;
using mime::LeafPipeline;
using mime::ParseStructuredValue;
using mime::PartInfo;
using mime::PartLabel;
using mime::StructuredValue;
using mime::TransferDecoder;
using mime::Unfold;
using mime::Url;

namespace {

// RFC 5322 2.2: a field name is printable US-ASCII except ':'; we allow
// whitespace between the name and the colon (obsolete syntax, 4.5.1).
bool IsFieldLine(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  std::string_view name = line.substr(0, colon);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  if (name.empty()) return false;
  for (char c : name) {
    if (c < 33 || c > 126) return false;
  }
  return true;
}

void AppendBounded(std::string* field, std::string_view data) {
  if (field->size() >= kMaxHeaderFieldBytes) return;
  field->append(data.substr(0, kMaxHeaderFieldBytes - field->size()));
}

TransferDecoder::Kind DecoderKind(const std::string& encoding, bool* known) {
  *known = true;
  if (encoding == "base64") return TransferDecoder::Kind::kBase64;
  if (encoding == "quoted-printable") return TransferDecoder::Kind::kQuotedPrintable;
  *known = encoding == "7bit" || encoding == "8bit" || encoding == "binary";
  return TransferDecoder::Kind::kIdentity;
}

}  // namespace

void MimeParser::HeaderLine(Entity& entity, std::string_view data, bool complete,
                            bool at_line_start, bool* body_line) {
  (void)complete;
  if (!at_line_start) {  // the rest of a header line cut at max_line_bytes
    AppendBounded(&entity.field, data);
    return;
  }
  if (data.empty()) {  // RFC 5322 2.1: an empty line ends the header section
    FlushField(entity);
    EndHeaders(entity, /*descend=*/true);
    return;
  }
  if (data[0] == ' ' || data[0] == '\t') {  // RFC 5322 2.2.3: a folded line
    if (!entity.field.empty()) {
      AppendBounded(&entity.field, "\r\n");
      AppendBounded(&entity.field, data);
    }
    return;
  }
  FlushField(entity);
  if (IsFieldLine(data)) {
    AppendBounded(&entity.field, data);
    return;
  }
  // Not a header field: the part has no (more) headers and this line is
  // the start of its body -- the blank line is missing, as in much spam.
  EndHeaders(entity, /*descend=*/true);
  *body_line = true;
}

void MimeParser::FlushField(Entity& entity) {
  if (entity.field.empty()) return;
  std::string_view field = entity.field;
  const size_t colon = field.find(':');
  std::string_view name = field.substr(0, colon);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  const std::string value(field.substr(colon + 1));
  const std::string name_copy(name);
  entity.field.clear();
  EmitHeader(entity, name_copy, value);
}

void MimeParser::EmitHeader(Entity& entity, std::string_view name, std::string_view value) {
  HeaderDecodeFlags flags;
  const std::string decoded = DecodeHeaderValue(value, &flags);
  const std::string where = name.empty() ? std::string("a header") : std::string(name);
  if (flags.eight_bit || !IsAscii(name)) {
    // RFC 5322 2.2 allows only US-ASCII; RFC 6532 allows UTF-8 but only
    // with SMTPUTF8. Read as UTF-8 with a windows-1252 fallback.
    context_->Flag("MIME_8BIT_HEADER",
                   "raw 8-bit bytes in " + where + " of part " + std::to_string(entity.info.index));
  }
  if (flags.bad_encoded_word) {
    context_->Flag("MIME_BAD_ENCODED_WORD", "malformed RFC 2047 encoded word in " + where +
                                                " of part " + std::to_string(entity.info.index));
  }
  if (flags.bad_charset) {
    context_->Flag("MIME_BAD_CHARSET", "unknown charset in an encoded word in " + where +
                                           " of part " + std::to_string(entity.info.index));
  }
  const std::string lower = ToLower(name);
  // The first occurrence counts (RFC 2045 does not allow repeats).
  if (lower == "content-type" && !entity.has_content_type) {
    entity.content_type = Unfold(value);
    entity.has_content_type = true;
  } else if (lower == "content-transfer-encoding" && !entity.has_transfer_encoding) {
    entity.transfer_encoding = Unfold(value);
    entity.has_transfer_encoding = true;
  } else if (lower == "content-disposition" && !entity.has_disposition) {
    entity.disposition = Unfold(value);
    entity.has_disposition = true;
  }
  context_->sink->OnHeader(entity.info, name, decoded);
  if (entity.info.depth == 0 && lower == "list-unsubscribe") {
    context_->urls.Text(decoded, Url::Source::kHeader);
    context_->urls.EndText();
  }
}

void MimeParser::EndHeaders(Entity& entity, bool descend) {
  entity.in_headers = false;
  PartInfo& info = entity.info;
  // RFC 2045 5.2: no (valid) Content-Type means text/plain; RFC 2046
  // 5.1.5: in a multipart/digest, message/rfc822.
  const StructuredValue type = ParseStructuredValue(entity.content_type);
  if (IsMediaType(type.value)) info.content_type = type.value;
  if (auto it = type.params.find("charset"); it != type.params.end()) {
    info.charset = ToLower(Unfold(it->second));
  }
  if (entity.has_transfer_encoding) {
    const std::string encoding = ParseStructuredValue(entity.transfer_encoding).value;
    if (!encoding.empty()) info.transfer_encoding = encoding;
  }
  const StructuredValue disposition = ParseStructuredValue(entity.disposition);
  info.disposition = disposition.value;
  std::string filename;
  if (auto it = disposition.params.find("filename"); it != disposition.params.end()) {
    filename = it->second;
  } else if (auto name = type.params.find("name"); name != type.params.end()) {
    filename = name->second;
  }
  HeaderDecodeFlags flags;
  info.filename = DecodeEncodedWords(filename, &flags);
  if (type.bad_charset || disposition.bad_charset || flags.bad_charset) {
    context_->Flag("MIME_BAD_CHARSET", "unknown RFC 2231 charset in " + PartLabel(info));
  }
  const bool is_text = info.content_type.compare(0, 5, "text/") == 0;
  info.attachment = info.disposition == "attachment" || (!info.filename.empty() && !is_text);
  entity.started = true;
  context_->sink->OnPartStart(info);

  const bool multipart = info.content_type.compare(0, 10, "multipart/") == 0;
  const bool message =
      info.content_type == "message/rfc822" || info.content_type == "message/global";
  bool known_encoding = true;
  const TransferDecoder::Kind kind = DecoderKind(info.transfer_encoding, &known_encoding);
  if (multipart) {
    auto boundary = type.params.find("boundary");
    if (boundary == type.params.end() || boundary->second.empty() ||
        boundary->second.size() > kMaxBoundaryBytes) {
      context_->Flag("MIME_MISSING_BOUNDARY",
                     PartLabel(info) + " has no usable boundary parameter; read as text");
    } else if (info.depth + 1 > context_->limits.max_depth) {
      context_->Flag("MIME_DEPTH_LIMIT",
                     PartLabel(info) + " at depth " + std::to_string(info.depth) + " not parsed");
      entity.kind = Entity::Kind::kSkip;
      return;
    } else {
      // RFC 2045 6.4: multiparts are never encoded; a declared encoding is
      // ignored.
      entity.kind = Entity::Kind::kMultipart;
      entity.boundary = boundary->second;
      return;
    }
  } else if (message && kind == TransferDecoder::Kind::kIdentity) {
    if (info.depth + 1 > context_->limits.max_depth) {
      context_->Flag("MIME_DEPTH_LIMIT",
                     PartLabel(info) + " at depth " + std::to_string(info.depth) + " not parsed");
      entity.kind = Entity::Kind::kSkip;
      return;
    }
    entity.kind = Entity::Kind::kMessage;
    if (descend) PushPart(info.depth + 1, false);
    return;
  }
  if (!known_encoding) {
    context_->Flag("MIME_BAD_TRANSFER_ENCODING", "unknown Content-Transfer-Encoding '" +
                                                     info.transfer_encoding + "' at " +
                                                     PartLabel(info) + "; not decoded");
  }
  entity.kind = Entity::Kind::kLeaf;
  if (!descend) return;
  const bool text = is_text || multipart;  // multipart without boundary: text
  entity.leaf = std::make_unique<LeafPipeline>(context_.get(), info, kind, text,
                                               info.content_type == "text/html");
}

}  // namespace portcullis
