// The name servers a resolver asks: parsed from ResolverOptions::servers text
// ("HOST", "HOST:PORT", "[V6]:PORT", a bare IPv6 address) into socket
// addresses, and the comparison that checks where an answer came from.
//
// HOST must be an IP literal: the resolver cannot resolve its own servers.
// Pure functions and value types; thread-safe.
#pragma once

#include <sys/socket.h>

#include <string>
#include <string_view>
#include <vector>

namespace portcullis::dns {

// RFC 1035 4.2: DNS servers listen on port 53.
inline constexpr int kDefaultDnsPort = 53;

struct ServerAddress {
  sockaddr_storage address{};
  socklen_t length = 0;
  std::string text;  // "127.0.0.1:53" / "[::1]:53", for errors and logs

  int family() const { return address.ss_family; }
  const sockaddr* sockaddr_ptr() const { return reinterpret_cast<const sockaddr*>(&address); }
};

// Parses one server. Returns false and sets `error` ("bad port", "not an IP
// address") when the text is unusable.
bool ParseServerAddress(std::string_view text, ServerAddress* out, std::string* error);

// The list MakeResolver uses: `configured` when it is not empty, else the
// nameserver lines of `resolv_conf_path`, else 127.0.0.1:53. Returns false
// and sets `error` naming the bad entry.
bool BuildServerList(const std::vector<std::string>& configured,
                     const std::string& resolv_conf_path, std::vector<ServerAddress>* out,
                     std::string* error);

// True when `from` is exactly `server`: family, address and port (and the
// scope of a link-local IPv6 server).
bool SameServer(const ServerAddress& server, const sockaddr* from, socklen_t from_length);

}  // namespace portcullis::dns
