// One open part on MimeParser's stack: its PartInfo, the header field
// being collected while its headers are read, and what its body is
// (a leaf with its decoding chain, a multipart with its boundary, an
// embedded message/rfc822, or a part skipped because a limit was hit).
// Internal to engine/mime.
#pragma once

#include <memory>
#include <string>

#include "mime/mime_leaf.h"
#include "portcullis/mime.h"

namespace portcullis::mime {

struct Entity {
  enum class Kind { kLeaf, kMultipart, kMessage, kSkip };

  PartInfo info;
  bool in_headers = true;
  bool started = false;       // OnPartStart sent
  bool digest_child = false;  // default type message/rfc822 (RFC 2046 5.1.5)
  Kind kind = Kind::kLeaf;

  // Header collection.
  std::string field;  // "Name: value" with folds, up to kMaxHeaderFieldBytes
  std::string content_type;
  std::string transfer_encoding;
  std::string disposition;
  bool has_content_type = false;
  bool has_transfer_encoding = false;
  bool has_disposition = false;

  // kMultipart.
  std::string boundary;
  bool closed = false;  // close delimiter seen: the rest is epilogue

  // kLeaf.
  std::unique_ptr<LeafPipeline> leaf;
};

}  // namespace portcullis::mime
