#include "arc_fields.h"

#include "dkim_tag_list.h"
#include "portcullis/transaction_info.h"

namespace portcullis::arc {
namespace {

using dkim::Canonicalization;
using dkim::HashAlgorithm;
using dkim::KeyType;

// Security: i= is at most 50; more digits than this are refused before
// any arithmetic can overflow.
constexpr size_t kMaxInstanceDigits = 4;
// l= as in DKIM: 20 digits hold any uint64.
constexpr size_t kMaxLengthDigits = 20;

std::string_view TrimFws(std::string_view text) {
  while (!text.empty() && dkim::IsFws(text.front())) text.remove_prefix(1);
  while (!text.empty() && dkim::IsFws(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<int> Instance(std::string_view digits, std::string* error) {
  if (digits.empty() || digits.size() > kMaxInstanceDigits) {
    *error = "invalid i= '" + std::string(digits.substr(0, 8)) + "'";
    return std::nullopt;
  }
  int value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') {
      *error = "invalid i= '" + std::string(digits) + "'";
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  // RFC 8617 4.2.1: 1..50.
  if (value < 1 || value > kMaxInstances) {
    *error = "i=" + std::to_string(value) + " outside 1.." + std::to_string(kMaxInstances);
    return std::nullopt;
  }
  return value;
}

bool Required(const dkim::TagList& tags, std::initializer_list<std::string_view> names,
              std::string* error) {
  for (std::string_view name : names) {
    if (!tags.Find(name)) {
      *error = "missing required tag " + std::string(name) + "=";
      return false;
    }
  }
  return true;
}

// a=, d=, s=, b= and i=, common to AMS and AS.
bool ParseBase(const dkim::TagList& tags, ArcSignatureBase* out, std::string* error) {
  auto instance = Instance(tags.Find("i")->value, error);
  if (!instance) return false;
  out->instance = *instance;
  out->algorithm = ToLower(tags.Find("a")->value);
  if (out->algorithm == "rsa-sha256") {
    out->key_type = KeyType::kRsa;
  } else if (out->algorithm == "ed25519-sha256") {
    out->key_type = KeyType::kEd25519;
  } else {
    // RFC 8617 4.1.2/4.1.3 point to RFC 6376 algorithms; rsa-sha1 is not
    // acceptable for any signature (RFC 8301 3.1).
    *error = "unsupported algorithm a=" + out->algorithm;
    return false;
  }
  out->domain = ToLower(TrimFws(tags.Find("d")->value));
  out->selector = ToLower(TrimFws(tags.Find("s")->value));
  if (out->domain.empty() || out->selector.empty()) {
    *error = "empty d= or s=";
    return false;
  }
  out->b_text = dkim::StripFws(tags.Find("b")->value);
  auto signature = dkim::DecodeBase64(out->b_text);
  if (!signature || signature->empty()) {
    *error = "invalid base64 in b=";
    return false;
  }
  out->signature = std::move(*signature);
  return true;
}

std::optional<Canonicalization> ParseCanon(std::string_view name) {
  if (name == "simple") return Canonicalization::kSimple;
  if (name == "relaxed") return Canonicalization::kRelaxed;
  return std::nullopt;
}

}  // namespace

std::string_view ArcFieldName(ArcFieldKind kind) {
  switch (kind) {
    case ArcFieldKind::kAuthResults: return "ARC-Authentication-Results";
    case ArcFieldKind::kMessageSignature: return "ARC-Message-Signature";
    case ArcFieldKind::kSeal: return "ARC-Seal";
  }
  return "";
}

std::optional<ArcFieldKind> ArcFieldKindOf(std::string_view name) {
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  const std::string lower = ToLower(name);
  if (lower == "arc-authentication-results") return ArcFieldKind::kAuthResults;
  if (lower == "arc-message-signature") return ArcFieldKind::kMessageSignature;
  if (lower == "arc-seal") return ArcFieldKind::kSeal;
  return std::nullopt;
}

std::optional<int> ParseInstance(ArcFieldKind kind, std::string_view value, std::string* error) {
  if (kind == ArcFieldKind::kAuthResults) {
    // RFC 8617 4.1.1: arc-authres-header = "ARC-Authentication-Results:"
    // [CFWS] arc-info CFWS ";" ...; arc-info = instance [CFWS] ";" ...
    // We read "i" [FWS] "=" [FWS] digits [FWS] ";" (comments not allowed).
    std::string_view rest = TrimFws(value);
    if (rest.empty() || (rest.front() != 'i' && rest.front() != 'I')) {
      *error = "does not start with i=";
      return std::nullopt;
    }
    rest = TrimFws(rest.substr(1));
    if (rest.empty() || rest.front() != '=') {
      *error = "does not start with i=";
      return std::nullopt;
    }
    rest = TrimFws(rest.substr(1));
    const size_t semicolon = rest.find(';');
    if (semicolon == std::string_view::npos) {
      *error = "no ';' after i=";
      return std::nullopt;
    }
    return Instance(TrimFws(rest.substr(0, semicolon)), error);
  }
  auto tags = dkim::ParseTagList(value, error);
  if (!tags) return std::nullopt;
  const dkim::Tag* tag = tags->Find("i");
  if (!tag) {
    *error = "missing required tag i=";
    return std::nullopt;
  }
  return Instance(tag->value, error);
}

std::string_view ChainValidationName(ChainValidation cv) {
  switch (cv) {
    case ChainValidation::kNone: return "none";
    case ChainValidation::kPass: return "pass";
    case ChainValidation::kFail: return "fail";
  }
  return "";
}

std::optional<ArcSeal> ParseSeal(std::string_view value, std::string* error) {
  auto tags = dkim::ParseTagList(value, error);
  if (!tags) return std::nullopt;
  if (!Required(*tags, {"i", "cv", "a", "b", "d", "s"}, error)) return std::nullopt;
  // RFC 8617 4.1.3: "The ARC-Seal does not use the h= tag"; its presence
  // makes the seal invalid (5.1.1 structure).
  if (tags->Find("h")) {
    *error = "h= not allowed in ARC-Seal";
    return std::nullopt;
  }
  ArcSeal seal;
  if (!ParseBase(*tags, &seal, error)) return std::nullopt;
  const std::string cv = ToLower(tags->Find("cv")->value);
  if (cv == "none") {
    seal.cv = ChainValidation::kNone;
  } else if (cv == "pass") {
    seal.cv = ChainValidation::kPass;
  } else if (cv == "fail") {
    seal.cv = ChainValidation::kFail;
  } else {
    *error = "invalid cv=" + cv.substr(0, 16);
    return std::nullopt;
  }
  return seal;
}

std::optional<ArcMessageSignature> ParseMessageSignature(std::string_view value,
                                                         std::string* error) {
  auto tags = dkim::ParseTagList(value, error);
  if (!tags) return std::nullopt;
  if (!Required(*tags, {"i", "a", "b", "bh", "d", "h", "s"}, error)) return std::nullopt;
  ArcMessageSignature ams;
  if (!ParseBase(*tags, &ams, error)) return std::nullopt;
  auto body_hash = dkim::DecodeBase64(dkim::StripFws(tags->Find("bh")->value));
  if (!body_hash || body_hash->empty()) {
    *error = "invalid base64 in bh=";
    return std::nullopt;
  }
  ams.body_hash = std::move(*body_hash);
  if (const dkim::Tag* c = tags->Find("c")) {
    const std::string text = ToLower(c->value);
    const size_t slash = text.find('/');
    auto header = ParseCanon(text.substr(0, slash));
    auto body = slash == std::string::npos ? std::optional(Canonicalization::kSimple)
                                           : ParseCanon(text.substr(slash + 1));
    if (!header || !body) {
      *error = "invalid c=";
      return std::nullopt;
    }
    ams.header_canon = *header;
    ams.body_canon = *body;
  }
  std::string_view names = tags->Find("h")->value;
  while (true) {
    const size_t colon = names.find(':');
    const std::string name = ToLower(TrimFws(names.substr(0, colon)));
    if (name.empty()) {
      *error = "empty name in h=";
      return std::nullopt;
    }
    // RFC 8617 4.1.2: ARC-Seal fields MUST NOT be in the AMS h=.
    if (name == "arc-seal") {
      *error = "h= includes ARC-Seal";
      return std::nullopt;
    }
    if (ams.signed_headers.size() >= dkim::kMaxSignedHeaders) {
      *error = "too many names in h=";
      return std::nullopt;
    }
    ams.signed_headers.push_back(name);
    if (colon == std::string_view::npos) break;
    names.remove_prefix(colon + 1);
  }
  if (const dkim::Tag* l = tags->Find("l")) {
    if (l->value.empty() || l->value.size() > kMaxLengthDigits) {
      *error = "invalid l=";
      return std::nullopt;
    }
    uint64_t length = 0;
    for (char c : l->value) {
      if (c < '0' || c > '9') {
        *error = "invalid l=";
        return std::nullopt;
      }
      const uint64_t next = length * 10 + static_cast<uint64_t>(c - '0');
      if (next / 10 != length) {
        *error = "invalid l=";
        return std::nullopt;
      }
      length = next;
    }
    ams.body_length = length;
  }
  return ams;
}

}  // namespace portcullis::arc
