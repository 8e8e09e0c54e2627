// The `nameserver` lines of a resolv.conf(5) file: where the resolver asks
// when ResolverOptions::servers is empty.
//
// Pure functions (ReadResolvConfServers reads one file); thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace portcullis::dns {

// resolv.conf(5): the C library uses at most MAXNS (3) name servers and
// ignores further lines; we do the same so both ask the same servers.
inline constexpr size_t kMaxResolvConfServers = 3;

// The addresses of the `nameserver` lines, in file order, at most
// kMaxResolvConfServers. Comments ('#' or ';' first on a line) and other
// keywords are skipped; the address is returned as written (IPv4, IPv6,
// IPv6 with a %scope).
std::vector<std::string> ParseResolvConf(std::string_view text);

// ParseResolvConf of a file; an unreadable file gives an empty list.
std::vector<std::string> ReadResolvConfServers(const std::string& path);

}  // namespace portcullis::dns
