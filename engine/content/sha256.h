// SHA-256 (FIPS 180-4) for content-cache keys, through OpenSSL's EVP
// interface (the library DKIM already uses).
//
// A Sha256 object is single-use state for one digest; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace portcullis::content {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Finishes the digest; the object must not be updated afterwards.
  std::array<uint8_t, 32> Final();
  // Final() as 64 lower-case hex digits.
  std::string FinalHex();

 private:
  evp_md_ctx_st* context_;
};

}  // namespace portcullis::content
