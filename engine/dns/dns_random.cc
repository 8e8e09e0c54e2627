#include "dns/dns_random.h"

#include <sys/random.h>

#include <cerrno>
#include <random>

namespace portcullis::dns {

uint16_t RandomIds::Next() {
  if (used_ == pool_.size()) Refill();
  return pool_[used_++];
}

void RandomIds::Refill() {
  auto* bytes = reinterpret_cast<unsigned char*>(pool_.data());
  size_t want = sizeof(pool_);
  size_t got = 0;
  // getrandom(2) never returns short for requests of 256 bytes or less once
  // the pool is initialised, but it may be interrupted by a signal.
  for (int tries = 0; got < want && tries < 8; ++tries) {
    ssize_t n = getrandom(bytes + got, want - got, 0);
    if (n > 0)
      got += static_cast<size_t>(n);
    else if (n < 0 && errno != EINTR)
      break;
  }
  if (got < want) {
    // Only without getrandom (pre-3.17 kernels): std::random_device reads
    // the same kernel source through /dev/urandom.
    std::random_device device;
    for (size_t i = got; i < want; ++i) bytes[i] = static_cast<unsigned char>(device());
  }
  used_ = 0;
}

}  // namespace portcullis::dns
