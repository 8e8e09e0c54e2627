// Segment counters of a TCP socket, from the kernel's TCP_INFO. Apart from
// the tests, because glibc's <netinet/tcp.h> struct tcp_info stops before
// these fields and cannot be included together with <linux/tcp.h>.
#pragma once

#include <cstdint>

namespace portcullis::testing {

// Segments carrying data that `fd` has received so far.
uint32_t DataSegmentsReceived(int fd);

}  // namespace portcullis::testing
