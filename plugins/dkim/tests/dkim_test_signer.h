// A minimal DKIM signer for tests (rsa-sha256, rsa-sha1, ed25519-sha256),
// built on the plugin's own canonicalization, to make signatures with tags
// the RFC vectors lack (x=, l=, simple, t=s). The RFC 8463 vectors anchor
// the canonicalization independently. Test-only.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>
#include <vector>

#include "dkim_body_hash.h"
#include "dkim_header_canon.h"
#include "dkim_signature.h"
#include "dkim_tag_list.h"
#include "dkim_test_support.h"

namespace portcullis::dkim::testing {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

inline Pkey LoadPrivateKey(const std::string& path) {
  const std::string pem = ReadFile(path);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  Pkey key(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return key;
}

// RFC 8463 A.1's Ed25519 private key (the seed).
inline Pkey Rfc8463Ed25519Key() {
  auto seed = DecodeBase64("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=");
  return Pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                           reinterpret_cast<const unsigned char*>(seed->data()),
                                           seed->size()));
}

// Returns the DKIM-Signature value (with its leading space) for `tags`
// (everything but bh= and b=; must contain a=, c=, h=).
inline std::string Sign(const std::vector<HeaderField>& headers, const std::string& body,
                        const std::string& tags, EVP_PKEY* key) {
  SignatureParseError error;
  auto parsed = ParseSignature(tags + "; bh=YWJj; b=YWJj", &error);
  if (!parsed) return "unparsable tags: " + error.reason;
  BodyHasher hasher(parsed->body_canon, parsed->hash, parsed->body_length);
  hasher.Update(body);
  std::string value = " " + tags + "; bh=" + Base64(hasher.Finish()) + "; b=";
  std::string data = SelectAndCanonicalize(parsed->header_canon, headers, parsed->signed_headers);
  data += CanonicalizeHeader(parsed->header_canon, "DKIM-Signature", value);
  std::string input = data;
  const EVP_MD* md = nullptr;
  if (parsed->key_type == KeyType::kEd25519) {
    input = Sha256(data);
  } else {
    md = parsed->hash == HashAlgorithm::kSha256 ? EVP_sha256() : EVP_sha1();
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t length = 0;
  std::string signature;
  if (EVP_DigestSignInit(ctx, nullptr, md, nullptr, key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) == 1) {
    signature.resize(length);
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    signature.resize(length);
  }
  EVP_MD_CTX_free(ctx);
  return value + Base64(signature);
}

}  // namespace portcullis::dkim::testing
