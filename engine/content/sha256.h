// SHA-256 (FIPS 180-4) for content-cache keys. The engine library does not
// link a crypto library, and cache keys need no more than a collision-
// resistant digest of a few hundred kilobytes of rule text, so a small
// self-contained implementation does.
//
// A Sha256 object is single-use state for one digest; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace portcullis::content {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  // Finishes the digest; the object must not be updated afterwards.
  std::array<uint8_t, 32> Final();
  // Final() as 64 lower-case hex digits.
  std::string FinalHex();

 private:
  void Block(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

}  // namespace portcullis::content
