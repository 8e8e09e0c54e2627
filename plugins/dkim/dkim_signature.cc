#include "dkim_signature.h"

#include <charconv>

#include "dkim_tag_list.h"
#include "portcullis/transaction_info.h"

namespace portcullis::dkim {
namespace {

// RFC 6376 3.5: t= and x= are at most 12 digits ("implementations MAY
// treat values above 10^12 as infinite"); l= is a 76-digit field but any
// real body fits in 20 digits.
constexpr size_t kMaxTimeDigits = 12;
constexpr size_t kMaxLengthDigits = 20;

std::optional<uint64_t> ParseDigits(std::string_view text, size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<Canonicalization> ParseCanon(std::string_view text) {
  if (text == "simple") return Canonicalization::kSimple;
  if (text == "relaxed") return Canonicalization::kRelaxed;
  return std::nullopt;
}

bool Fail(SignatureParseError* error, std::string reason) {
  error->reason = std::move(reason);
  return false;
}

bool Parse(std::string_view value, DkimSignature* sig, SignatureParseError* error) {
  std::string tag_error;
  auto list = ParseTagList(value, &tag_error);
  if (!list) return Fail(error, tag_error);
  // Fill what the report shows first, so a later error still names them.
  if (const Tag* d = list->Find("d")) error->domain = ToLower(d->value);
  if (const Tag* s = list->Find("s")) error->selector = ToLower(s->value);
  if (const Tag* a = list->Find("a")) error->algorithm = ToLower(a->value);
  if (const Tag* b = list->Find("b")) error->b_text = StripFws(b->value);

  // RFC 6376 6.1.1: v=, a=, b=, bh=, d=, h=, s= are required.
  for (const char* name : {"v", "a", "b", "bh", "d", "h", "s"}) {
    if (!list->Find(name)) return Fail(error, std::string("missing required tag ") + name + "=");
  }
  if (list->Find("v")->value != "1") return Fail(error, "unsupported version v=");

  sig->algorithm = error->algorithm;
  if (sig->algorithm == "rsa-sha256") {
    sig->key_type = KeyType::kRsa;
    sig->hash = HashAlgorithm::kSha256;
  } else if (sig->algorithm == "ed25519-sha256") {  // RFC 8463 3
    sig->key_type = KeyType::kEd25519;
    sig->hash = HashAlgorithm::kSha256;
  } else if (sig->algorithm == "rsa-sha1") {
    sig->key_type = KeyType::kRsa;
    sig->hash = HashAlgorithm::kSha1;
  } else {
    return Fail(error, "unknown algorithm a=" + sig->algorithm);
  }

  auto b = DecodeBase64(list->Find("b")->value);
  if (!b || b->empty()) return Fail(error, "invalid base64 in b=");
  sig->signature = std::move(*b);
  sig->b_text = error->b_text;
  auto bh = DecodeBase64(list->Find("bh")->value);
  if (!bh || bh->empty()) return Fail(error, "invalid base64 in bh=");
  sig->body_hash = std::move(*bh);

  sig->domain = error->domain;
  if (sig->domain.empty()) return Fail(error, "empty d=");
  sig->selector = error->selector;
  if (sig->selector.empty()) return Fail(error, "empty s=");

  if (const Tag* c = list->Find("c")) {
    const std::string text = ToLower(c->value);
    const size_t slash = text.find('/');
    auto header = ParseCanon(text.substr(0, slash));
    // RFC 6376 3.5 c=: "If only one algorithm is named, that algorithm is
    // used for the header and "simple" is used for the body."
    auto body = slash == std::string::npos ? std::optional(Canonicalization::kSimple)
                                           : ParseCanon(text.substr(slash + 1));
    if (!header || !body) return Fail(error, "unknown canonicalization c=" + text);
    sig->header_canon = *header;
    sig->body_canon = *body;
  }

  // h= is a colon-separated list; FWS around names is allowed.
  const std::string h = StripFws(list->Find("h")->value);
  bool has_from = false;
  size_t start = 0;
  while (start <= h.size()) {
    size_t colon = h.find(':', start);
    if (colon == std::string::npos) colon = h.size();
    const std::string name = ToLower(std::string_view(h).substr(start, colon - start));
    if (name.empty()) return Fail(error, "empty header name in h=");
    if (sig->signed_headers.size() == kMaxSignedHeaders) {
      return Fail(error, "more than " + std::to_string(kMaxSignedHeaders) + " names in h=");
    }
    if (name == "from") has_from = true;
    sig->signed_headers.push_back(name);
    start = colon + 1;
  }
  // RFC 6376 5.4 / 6.1.1: the From header field MUST be signed.
  if (!has_from) return Fail(error, "h= does not include From");

  if (const Tag* i = list->Find("i")) {
    sig->identity = std::string(i->value);
    const size_t at = sig->identity.rfind('@');
    if (at == std::string::npos) return Fail(error, "i= has no '@'");
    // RFC 6376 6.1.1: the i= domain must be d= or a subdomain of it.
    if (!IsSameOrSubdomain(ToLower(std::string_view(sig->identity).substr(at + 1)), sig->domain)) {
      return Fail(error, "i= domain is not d= or a subdomain of it");
    }
  }
  if (const Tag* l = list->Find("l")) {
    sig->body_length = ParseDigits(l->value, kMaxLengthDigits);
    if (!sig->body_length) return Fail(error, "invalid l=");
  }
  if (const Tag* q = list->Find("q")) {
    // RFC 6376 3.5 q=: "dns/txt" is the only method defined.
    if (ToLower(StripFws(q->value)).find("dns/txt") == std::string::npos) {
      return Fail(error, "unsupported query method q=");
    }
  }
  if (const Tag* t = list->Find("t")) {
    auto when = ParseDigits(t->value, kMaxTimeDigits);
    if (!when) return Fail(error, "invalid t=");
    sig->timestamp = static_cast<int64_t>(*when);
  }
  if (const Tag* x = list->Find("x")) {
    auto when = ParseDigits(x->value, kMaxTimeDigits);
    if (!when) return Fail(error, "invalid x=");
    sig->expiration = static_cast<int64_t>(*when);
    // RFC 6376 3.5 x=: "the value of the "x=" tag MUST be greater than the
    // value of the "t=" tag if both are present."
    if (sig->timestamp && *sig->expiration <= *sig->timestamp) {
      return Fail(error, "x= is not after t=");
    }
  }
  return true;
}

}  // namespace

std::string_view CanonicalizationName(Canonicalization canon) {
  return canon == Canonicalization::kSimple ? "simple" : "relaxed";
}

bool IsSameOrSubdomain(std::string_view domain, std::string_view parent) {
  if (domain == parent) return true;
  return domain.size() > parent.size() + 1 &&
         domain.substr(domain.size() - parent.size()) == parent &&
         domain[domain.size() - parent.size() - 1] == '.';
}

std::optional<DkimSignature> ParseSignature(std::string_view value, SignatureParseError* error) {
  DkimSignature sig;
  if (!Parse(value, &sig, error)) return std::nullopt;
  return sig;
}

std::optional<std::string> WithoutSignatureValue(std::string_view value) {
  std::string ignored;
  auto list = ParseTagList(value, &ignored);
  if (!list) return std::nullopt;
  const Tag* b = list->Find("b");
  if (!b) return std::nullopt;
  std::string out(value.substr(0, b->value_begin));
  out.append(value.substr(b->value_end));
  return out;
}

}  // namespace portcullis::dkim
