// The signature algorithms with OpenSSL 3 EVP: rsa-sha256 (RFC 6376 3.3.1,
// RSASSA-PKCS1-v1_5) and ed25519-sha256 (RFC 8463 3), and the RFC 8301
// key-size floor.
//
// Thread-safe: OpenSSL 3 EVP contexts are per call; decoded RSA keys are
// kept in a small shared cache (read-only once decoded).
#pragma once

#include <string>
#include <string_view>

#include "dkim_signature.h"

namespace portcullis::dkim {

// RFC 8301 3.2: "Verifiers MUST NOT consider signatures using RSA keys of
// less than 1024 bits as valid signatures."
inline constexpr int kMinRsaBits = 1024;
// Security: RSA verification cost grows with the modulus; RFC 8301 3.2
// asks verifiers to handle up to 4096 bits. Bigger keys are refused.
inline constexpr int kMaxRsaBits = 8192;

enum class CryptoOutcome {
  kValid,
  kInvalid,  // the signature does not match: fail
  kBadKey,   // the key does not decode or has the wrong type: permerror
  kWeakKey,  // RSA under kMinRsaBits: permerror (RFC 8301)
};

struct CryptoResult {
  CryptoOutcome outcome = CryptoOutcome::kInvalid;
  std::string reason;  // for everything but kValid
};

// Verifies `signature` over `header_data` (the canonicalized header hash
// input of RFC 6376 3.7) with `public_key` (p= decoded: DER
// SubjectPublicKeyInfo or RSAPublicKey for rsa, 32 raw bytes for ed25519).
CryptoResult VerifyHeaderSignature(KeyType type, HashAlgorithm hash, std::string_view public_key,
                                   std::string_view header_data, std::string_view signature);

}  // namespace portcullis::dkim
