#include "server_options.h"

#include <arpa/inet.h>

#include <charconv>
#include <string_view>

namespace portcullis::testing::dns_server {

namespace {

// "127.0.0.1:53" or "[::1]:53".
std::string ParseListen(std::string_view spec, ServerOptions* out) {
  std::string_view host;
  std::string_view port;
  if (spec.starts_with("[")) {
    const size_t close = spec.find("]:");
    if (close == std::string_view::npos)
      return "--listen '" + std::string(spec) + "': want [ADDR]:PORT";
    host = spec.substr(1, close - 1);
    port = spec.substr(close + 2);
    out->family = AF_INET6;
  } else {
    const size_t colon = spec.rfind(':');
    if (colon == std::string_view::npos)
      return "--listen '" + std::string(spec) + "': want ADDR:PORT";
    host = spec.substr(0, colon);
    port = spec.substr(colon + 1);
    out->family = AF_INET;
  }
  out->host = std::string(host);
  unsigned char buf[sizeof(in6_addr)];
  if (inet_pton(out->family, out->host.c_str(), buf) != 1) {
    return "--listen '" + std::string(spec) + "': bad address '" + out->host + "'";
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return "--listen '" + std::string(spec) + "': bad port";
  }
  out->port = static_cast<uint16_t>(value);
  return "";
}

}  // namespace

const char* ServerUsage() {
  return "usage: portcullis_test_dns_server --listen 127.0.0.1:PORT --zone FILE [--zone FILE ...]\n"
         "         [--fault SUFFIX=MODE ...] [--query-log PATH] [--udp-max N]\n"
         "  PORT 0 picks a free port; UDP and TCP share it. [::1]:PORT is accepted.\n"
         "  MODE: drop servfail refused truncate wrong-id wrong-question compression-loop\n"
         "        short delay-MS\n";
}

std::string ParseServerOptions(int argc, char** argv, ServerOptions* out) {
  bool have_listen = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return ServerUsage();
    if (arg != "--listen" && arg != "--zone" && arg != "--fault" && arg != "--query-log" &&
        arg != "--udp-max") {
      return "unknown option " + std::string(arg);
    }
    if (i + 1 >= argc) return "option " + std::string(arg) + " needs a value";
    const std::string_view value = argv[++i];
    if (arg == "--listen") {
      if (std::string err = ParseListen(value, out); !err.empty()) return err;
      have_listen = true;
    } else if (arg == "--zone") {
      out->zone_files.emplace_back(value);
    } else if (arg == "--fault") {
      Fault fault;
      if (std::string err = ParseFault(value, &fault); !err.empty()) return err;
      out->faults.push_back(std::move(fault));
    } else if (arg == "--query-log") {
      out->query_log = std::string(value);
    } else if (arg == "--udp-max") {
      size_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < kMinUdpMax || n > 65535) {
        return "--udp-max '" + std::string(value) + "': want a number from 12 to 65535";
      }
      out->udp_max = n;
    }
  }
  if (!have_listen) return "--listen is required";
  if (out->zone_files.empty()) return "at least one --zone is required";
  return "";
}

}  // namespace portcullis::testing::dns_server
