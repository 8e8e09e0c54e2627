#include "dns/dns_server_list.h"

#include <netdb.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

#include "dns/resolv_conf.h"

namespace portcullis::dns {
namespace {

// Splits "HOST", "HOST:PORT", "[V6]", "[V6]:PORT" and a bare IPv6 address
// (more than one colon, no brackets) into host and port text.
bool SplitHostPort(std::string_view text, std::string_view* host, std::string_view* port,
                   std::string* error) {
  *port = {};
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      *error = "missing ']'";
      return false;
    }
    *host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (rest.empty()) return true;
    if (rest.front() != ':') {
      *error = "text after ']' is not ':PORT'";
      return false;
    }
    *port = rest.substr(1);
    if (port->empty()) {
      *error = "empty port";
      return false;
    }
    return true;
  }
  size_t colon = text.find(':');
  if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    *host = text.substr(0, colon);
    *port = text.substr(colon + 1);
    if (port->empty()) {
      *error = "empty port";
      return false;
    }
    return true;
  }
  *host = text;  // IPv4 without a port, or a bare IPv6 address
  return true;
}

}  // namespace

bool ParseServerAddress(std::string_view text, ServerAddress* out, std::string* error) {
  std::string_view host, port_text;
  if (!SplitHostPort(text, &host, &port_text, error)) return false;
  if (host.empty()) {
    *error = "empty address";
    return false;
  }
  int port = kDefaultDnsPort;
  if (!port_text.empty()) {
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      *error = "bad port '" + std::string(port_text) + "'";
      return false;
    }
  }
  // getaddrinfo with AI_NUMERICHOST parses both families and IPv6 scopes
  // ("fe80::1%eth0", as resolv.conf may have) and never touches DNS.
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_family = AF_UNSPEC;
  addrinfo* found = nullptr;
  std::string host_text(host);
  std::string service = std::to_string(port);
  if (getaddrinfo(host_text.c_str(), service.c_str(), &hints, &found) != 0 || !found) {
    *error = "'" + host_text + "' is not an IP address";
    return false;
  }
  if (found->ai_addrlen > sizeof(out->address)) {
    freeaddrinfo(found);
    *error = "address too long";
    return false;
  }
  out->address = {};
  std::memcpy(&out->address, found->ai_addr, found->ai_addrlen);
  out->length = found->ai_addrlen;
  bool v6 = found->ai_family == AF_INET6;
  freeaddrinfo(found);
  out->text = v6 ? "[" + host_text + "]:" + service : host_text + ":" + service;
  return true;
}

bool BuildServerList(const std::vector<std::string>& configured,
                     const std::string& resolv_conf_path, std::vector<ServerAddress>* out,
                     std::string* error) {
  std::vector<std::string> texts = configured;
  if (texts.empty()) texts = ReadResolvConfServers(resolv_conf_path);
  if (texts.empty()) texts.push_back("127.0.0.1:53");
  out->clear();
  for (const std::string& text : texts) {
    ServerAddress server;
    std::string why;
    if (!ParseServerAddress(text, &server, &why)) {
      *error = "dns server '" + text + "': " + why;
      return false;
    }
    out->push_back(std::move(server));
  }
  return true;
}

bool SameServer(const ServerAddress& server, const sockaddr* from, socklen_t from_length) {
  if (from->sa_family != server.family()) return false;
  if (server.family() == AF_INET) {
    if (from_length < static_cast<socklen_t>(sizeof(sockaddr_in))) return false;
    const auto* a = reinterpret_cast<const sockaddr_in*>(&server.address);
    const auto* b = reinterpret_cast<const sockaddr_in*>(from);
    return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
  }
  if (server.family() == AF_INET6) {
    if (from_length < static_cast<socklen_t>(sizeof(sockaddr_in6))) return false;
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&server.address);
    const auto* b = reinterpret_cast<const sockaddr_in6*>(from);
    return a->sin6_port == b->sin6_port &&
           std::memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(in6_addr)) == 0 &&
           (a->sin6_scope_id == 0 || a->sin6_scope_id == b->sin6_scope_id);
  }
  return false;
}

}  // namespace portcullis::dns
