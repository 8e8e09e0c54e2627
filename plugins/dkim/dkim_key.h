// A DKIM key record (RFC 6376 3.6.1, RFC 8463 4) as published in TXT at
// selector._domainkey.domain.
//
// Pure; thread-safe. The parsed record owns its decoded key bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "dkim_signature.h"

namespace portcullis::dkim {

// Security: a TXT RRset can reach 64 KB; a 4096-bit RSA key record is
// under 1 KB. Records longer than this are refused before parsing.
inline constexpr size_t kMaxKeyRecordBytes = 8192;

struct KeyRecord {
  KeyType type = KeyType::kRsa;  // k=, default rsa
  bool allows_sha256 = true;     // h= (absent: every algorithm)
  bool allows_sha1 = true;
  bool testing = false;          // t=y
  bool strict_identity = false;  // t=s: i= must not be a subdomain of d=
  bool revoked = false;          // p= empty (RFC 6376 3.6.1)
  std::string public_key;        // p= decoded (DER for rsa, 32 raw bytes for ed25519)
};

// Parses one TXT record. Errors are the permerrors of RFC 6376 6.1.2
// ("key syntax error", unknown k=, v= not DKIM1, a service other than
// email). A revoked key parses with `revoked` set.
std::optional<KeyRecord> ParseKeyRecord(std::string_view text, std::string* error);

}  // namespace portcullis::dkim
