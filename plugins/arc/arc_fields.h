// The three ARC header fields (RFC 8617 4.1): ARC-Authentication-Results
// (AAR), ARC-Message-Signature (AMS) and ARC-Seal (AS). Recognising the
// field names, reading the instance tag i= of each, and parsing the AMS and
// AS tag lists with the DKIM tag-list parser (plugins/dkim/dkim_tag_list.h).
//
// Pure functions; thread-safe. Parsed values own copies of what they need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dkim_signature.h"

namespace portcullis::arc {

// RFC 8617 4.2.1: "The maximum value for the instance tag is 50"; a chain
// with more sets fails (5.1.1 "Chain Validation Status").
inline constexpr int kMaxInstances = 50;

enum class ArcFieldKind { kAuthResults, kMessageSignature, kSeal };

std::string_view ArcFieldName(ArcFieldKind kind);  // "ARC-Seal", ...

// The kind of an ARC field by name (case-insensitive, trailing WSP before
// the colon ignored), nullopt for any other field.
std::optional<ArcFieldKind> ArcFieldKindOf(std::string_view name);

// The i= of a field value. AMS and AS carry it as a tag; an AAR starts with
// "i=N;" (RFC 8617 4.1.1). Returns nullopt with `error` set when absent,
// not a number, or outside 1..kMaxInstances.
std::optional<int> ParseInstance(ArcFieldKind kind, std::string_view value, std::string* error);

enum class ChainValidation { kNone, kPass, kFail };  // cv= (RFC 8617 4.1.3)
std::string_view ChainValidationName(ChainValidation cv);

// Signature algorithm and key material shared by AMS and AS.
struct ArcSignatureBase {
  int instance = 0;
  std::string algorithm;  // a=, lower-case
  dkim::KeyType key_type = dkim::KeyType::kRsa;
  dkim::HashAlgorithm hash = dkim::HashAlgorithm::kSha256;
  std::string domain;     // d=, lower-case
  std::string selector;   // s=, lower-case
  std::string signature;  // b= decoded
  std::string b_text;     // b= without FWS
};

struct ArcSeal : ArcSignatureBase {
  ChainValidation cv = ChainValidation::kNone;
};

struct ArcMessageSignature : ArcSignatureBase {
  std::string body_hash;  // bh= decoded
  // RFC 8617 4.1.2: the AMS has the syntax and semantics of DKIM-Signature,
  // so c= defaults to simple/simple as in RFC 6376 3.5.
  dkim::Canonicalization header_canon = dkim::Canonicalization::kSimple;
  dkim::Canonicalization body_canon = dkim::Canonicalization::kSimple;
  std::vector<std::string> signed_headers;  // h=, lower-case
  std::optional<uint64_t> body_length;      // l=
};

// RFC 8617 4.1.3: i, cv, a, b, d, s required; h= not allowed.
std::optional<ArcSeal> ParseSeal(std::string_view value, std::string* error);
// RFC 8617 4.1.2: i, a, b, bh, d, h, s required; no v=; h= must not name
// ARC-Seal.
std::optional<ArcMessageSignature> ParseMessageSignature(std::string_view value,
                                                         std::string* error);

}  // namespace portcullis::arc
