// Unpredictable 16-bit query IDs for the resolver, from the kernel's CSPRNG.
//
// Security: RFC 5452 9.2: the ID (with the random source port, see
// dns_transport_udp.h) is what stops an off-path attacker from forging
// answers, so it must not be guessable: getrandom(2), not a seeded PRNG.
// Bytes are fetched in blocks to keep the syscall off most queries.
//
// Not thread-safe: one instance per thread (the resolver's loop thread).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace portcullis::dns {

class RandomIds {
 public:
  uint16_t Next();

 private:
  void Refill();

  std::array<uint16_t, 128> pool_{};
  size_t used_ = pool_.size();
};

}  // namespace portcullis::dns
