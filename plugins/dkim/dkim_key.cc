#include "dkim_key.h"

#include "dkim_tag_list.h"
#include "portcullis/transaction_info.h"

namespace portcullis::dkim {
namespace {

// Splits a colon-separated list (h=, s=, t=) into FWS-free lower-case items
// and reports whether `want` is among them.
bool ListHas(std::string_view list, std::string_view want) {
  const std::string compact = ToLower(StripFws(list));
  size_t start = 0;
  while (start <= compact.size()) {
    size_t colon = compact.find(':', start);
    if (colon == std::string::npos) colon = compact.size();
    if (std::string_view(compact).substr(start, colon - start) == want) return true;
    start = colon + 1;
  }
  return false;
}

}  // namespace

std::optional<KeyRecord> ParseKeyRecord(std::string_view text, std::string* error) {
  if (text.size() > kMaxKeyRecordBytes) {
    *error = "key record longer than " + std::to_string(kMaxKeyRecordBytes) + " bytes";
    return std::nullopt;
  }
  std::string tag_error;
  auto list = ParseTagList(text, &tag_error);
  if (!list) {
    *error = "key syntax error: " + tag_error;
    return std::nullopt;
  }
  KeyRecord key;
  // RFC 6376 3.6.1 v=: if present it MUST be "DKIM1" and the first tag.
  if (const Tag* v = list->Find("v")) {
    if (v->value != "DKIM1" || &list->tags.front() != v) {
      *error = "key record v= is not DKIM1 first";
      return std::nullopt;
    }
  }
  if (const Tag* k = list->Find("k")) {
    const std::string type = ToLower(k->value);
    if (type == "rsa") {
      key.type = KeyType::kRsa;
    } else if (type == "ed25519") {  // RFC 8463 4
      key.type = KeyType::kEd25519;
    } else {
      *error = "unknown key type k=" + type;
      return std::nullopt;
    }
  }
  if (const Tag* h = list->Find("h")) {
    key.allows_sha256 = ListHas(h->value, "sha256");
    key.allows_sha1 = ListHas(h->value, "sha1");
  }
  if (const Tag* s = list->Find("s")) {
    if (!ListHas(s->value, "*") && !ListHas(s->value, "email")) {
      *error = "key not for email (s=)";
      return std::nullopt;
    }
  }
  if (const Tag* t = list->Find("t")) {
    key.testing = ListHas(t->value, "y");
    key.strict_identity = ListHas(t->value, "s");
  }
  const Tag* p = list->Find("p");
  if (!p) {
    *error = "key syntax error: no p=";
    return std::nullopt;
  }
  if (StripFws(p->value).empty()) {
    key.revoked =
        true;  // RFC 6376 3.6.1: "An empty value means that this public key has been revoked."
    return key;
  }
  auto decoded = DecodeBase64(p->value);
  if (!decoded) {
    *error = "key syntax error: invalid base64 in p=";
    return std::nullopt;
  }
  key.public_key = std::move(*decoded);
  return key;
}

}  // namespace portcullis::dkim
