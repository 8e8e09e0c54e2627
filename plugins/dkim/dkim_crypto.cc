#include "dkim_crypto.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace portcullis::dkim {
namespace {

// RFC 8463 3: the Ed25519 public key is exactly 32 bytes.
constexpr size_t kEd25519KeyBytes = 32;

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

PkeyPtr RsaKey(std::string_view der) {
  // RFC 6376 3.6.1 names RSAPublicKey, but signers publish
  // SubjectPublicKeyInfo (the RFC's own example does); accept both.
  const unsigned char* p = Bytes(der);
  PkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (key && p == Bytes(der) + der.size()) return key;
  p = Bytes(der);
  key.reset(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(der.size())));
  if (key && p == Bytes(der) + der.size()) return key;
  return nullptr;
}

// Decoded RSA keys by their DER bytes. Decoding dominates an RSA check
// (86 of 128 µs measured, bench/README.md) and the same few keys sign most
// mail, so they are decoded once. OpenSSL 3 EVP_PKEYs may be shared by
// threads for verification as long as nobody modifies them.
class RsaKeyCache {
 public:
  std::shared_ptr<EVP_PKEY> Get(std::string_view der) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = keys_.find(std::string(der)); it != keys_.end()) return it->second;
    }
    PkeyPtr decoded = RsaKey(der);
    if (!decoded) return nullptr;  // bad keys are not kept: nothing to save
    std::shared_ptr<EVP_PKEY> key(decoded.release(), PkeyFree());
    std::lock_guard<std::mutex> lock(mutex_);
    // Security: key records come from DNS, so the cache is bounded; when
    // full it starts over rather than tracking use.
    if (keys_.size() >= kMaxKeys) keys_.clear();
    keys_.emplace(std::string(der), key);
    return key;
  }

 private:
  static constexpr size_t kMaxKeys = 1024;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<EVP_PKEY>> keys_;
};

std::shared_ptr<EVP_PKEY> CachedRsaKey(std::string_view der) {
  static RsaKeyCache cache;
  return cache.Get(der);
}

}  // namespace

CryptoResult VerifyHeaderSignature(KeyType type, HashAlgorithm hash, std::string_view public_key,
                                   std::string_view header_data, std::string_view signature) {
  std::shared_ptr<EVP_PKEY> key;
  std::string data;  // what the EVP verification is over
  const EVP_MD* md = nullptr;
  if (type == KeyType::kRsa) {
    key = CachedRsaKey(public_key);
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
      return {CryptoOutcome::kBadKey, "key is not a valid RSA public key"};
    }
    const int bits = EVP_PKEY_get_bits(key.get());
    if (bits < kMinRsaBits) {
      return {CryptoOutcome::kWeakKey,
              "RSA key of " + std::to_string(bits) + " bits is shorter than 1024 (RFC 8301)"};
    }
    if (bits > kMaxRsaBits) {
      return {CryptoOutcome::kBadKey,
              "RSA key longer than " + std::to_string(kMaxRsaBits) + " bits"};
    }
    md = hash == HashAlgorithm::kSha256 ? EVP_sha256() : EVP_sha1();
    data.assign(header_data);
  } else {
    if (public_key.size() != kEd25519KeyBytes) {
      return {CryptoOutcome::kBadKey, "Ed25519 key is not 32 bytes (RFC 8463)"};
    }
    key.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, Bytes(public_key),
                                          public_key.size()),
              PkeyFree());
    if (!key) return {CryptoOutcome::kBadKey, "key is not a valid Ed25519 public key"};
    // RFC 8463 3: Ed25519 signs the SHA-256 hash of the header data (pure
    // Ed25519, so no digest is given to EVP).
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(header_data.data(), header_data.size(), digest, &length, EVP_sha256(),
                   nullptr) != 1) {
      return {CryptoOutcome::kInvalid, "SHA-256 failed"};
    }
    data.assign(reinterpret_cast<const char*>(digest), length);
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key.get()) != 1) {
    return {CryptoOutcome::kBadKey, "key unusable for verification"};
  }
  const int ok =
      EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(data), data.size());
  if (ok == 1) return {CryptoOutcome::kValid, ""};
  return {CryptoOutcome::kInvalid, "signature mismatch"};
}

}  // namespace portcullis::dkim
