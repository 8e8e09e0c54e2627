// One parsed DKIM-Signature header field (RFC 6376 3.5), with the checks
// that need nothing but the field itself (3.5 required tags, 6.1.1).
//
// Pure; thread-safe. A DkimSignature owns copies of everything it needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::dkim {

// Security: h= may list any number of names; every entry costs a header
// search and canonicalization. Real signers list 5-30 (with over-signing);
// 64 is generous and bounds the work per signature.
inline constexpr size_t kMaxSignedHeaders = 64;

enum class Canonicalization { kSimple, kRelaxed };
enum class KeyType { kRsa, kEd25519 };
enum class HashAlgorithm { kSha256, kSha1 };

std::string_view CanonicalizationName(Canonicalization canon);

struct DkimSignature {
  std::string algorithm;  // a= as written, lower-case ("rsa-sha256")
  KeyType key_type = KeyType::kRsa;
  HashAlgorithm hash = HashAlgorithm::kSha256;
  std::string signature;  // b= decoded
  std::string b_text;     // b= without FWS, for header.b (RFC 6008)
  std::string body_hash;  // bh= decoded
  Canonicalization header_canon = Canonicalization::kSimple;
  Canonicalization body_canon = Canonicalization::kSimple;
  std::string domain;                       // d=, lower-case
  std::vector<std::string> signed_headers;  // h=, lower-case, in order
  std::string identity;                     // i= as written ("" when absent)
  std::optional<uint64_t> body_length;      // l=
  std::string selector;                     // s=, lower-case
  std::optional<int64_t> timestamp;         // t=
  std::optional<int64_t> expiration;        // x=
};

// What a failed parse still knows, for the report (d=, s=, a= when readable).
struct SignatureParseError {
  std::string reason;
  std::string domain;
  std::string selector;
  std::string algorithm;
  std::string b_text;
};

// Parses the value of a DKIM-Signature field as the MTA delivered it.
// Every syntax problem is a permerror (RFC 6376 6.1.1). rsa-sha1 parses;
// the verifier refuses it (RFC 8301 3.1) so that the report names it.
std::optional<DkimSignature> ParseSignature(std::string_view value, SignatureParseError* error);

// The field value with the b= tag's value (and the FWS around it) removed,
// as RFC 6376 3.7 hashes the signature field itself. Returns nullopt when
// the value has no parseable tag list or no b= tag.
std::optional<std::string> WithoutSignatureValue(std::string_view value);

// RFC 6376 3.5 i=: the domain of the identity is d= or a subdomain of it.
bool IsSameOrSubdomain(std::string_view domain, std::string_view parent);

}  // namespace portcullis::dkim
