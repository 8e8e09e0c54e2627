#include "content/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace portcullis::content {

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  // Out of memory, or an OpenSSL without SHA-256: nothing sensible to do.
  if (!context_ || EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1) std::abort();
}

Sha256::~Sha256() { EVP_MD_CTX_free(context_); }

void Sha256::Update(std::string_view data) {
  EVP_DigestUpdate(context_, data.data(), data.size());
}

std::array<uint8_t, 32> Sha256::Final() {
  std::array<uint8_t, 32> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context_, digest.data(), &length);
  return digest;
}

std::string Sha256::FinalHex() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t byte : Final()) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xf];
  }
  return hex;
}

}  // namespace portcullis::content
