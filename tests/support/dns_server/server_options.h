// Command-line options of portcullis_test_dns_server (see README.md).
//
// Parsed once in main() and read-only afterwards.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fault.h"

namespace portcullis::testing::dns_server {

// RFC 6891 6.2.5: 4096 is the payload size most servers advertise and the
// default ceiling on the UDP replies we send when --udp-max is not given.
inline constexpr size_t kDefaultUdpMax = 4096;
// RFC 1035 4.2.1: the UDP payload every client accepts.
inline constexpr size_t kClassicUdpSize = 512;
// --udp-max below a DNS header (12 bytes) could not carry even TC=1.
inline constexpr size_t kMinUdpMax = 12;

struct ServerOptions {
  int family = AF_INET;  // AF_INET or AF_INET6
  std::string host;      // "127.0.0.1" or "::1"
  uint16_t port = 0;     // 0: pick a free port
  std::vector<std::string> zone_files;
  std::vector<Fault> faults;
  std::string query_log;  // empty: no query log
  size_t udp_max = kDefaultUdpMax;
};

// Parses argv; returns an error message (empty on success). "--help" yields
// the usage text as the error.
std::string ParseServerOptions(int argc, char** argv, ServerOptions* out);

const char* ServerUsage();

}  // namespace portcullis::testing::dns_server
