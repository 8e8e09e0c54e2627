#include "dns_test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace portcullis::testing::dns_test {

namespace {

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

int MsLeft(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

Wire MakeQuery(std::string_view name, ldns_rr_type type, uint16_t id, uint16_t edns_size) {
  ldns_rdf* dname = ldns_dname_new_frm_str(std::string(name).c_str());
  PktPtr pkt(ldns_pkt_query_new(dname, type, LDNS_RR_CLASS_IN, LDNS_RD));
  ldns_pkt_set_id(pkt.get(), id);
  if (edns_size != 0) ldns_pkt_set_edns_udp_size(pkt.get(), edns_size);
  uint8_t* buf = nullptr;
  size_t size = 0;
  Wire wire;
  if (ldns_pkt2wire(&buf, pkt.get(), &size) == LDNS_STATUS_OK) wire.assign(buf, buf + size);
  free(buf);
  return wire;
}

PktPtr Parse(const Wire& wire) {
  ldns_pkt* pkt = nullptr;
  if (ldns_wire2pkt(&pkt, wire.data(), wire.size()) != LDNS_STATUS_OK) {
    ldns_pkt_free(pkt);
    return nullptr;
  }
  return PktPtr(pkt);
}

std::vector<Received> UdpExchange(uint16_t port, const Wire& query, size_t max_replies,
                                  std::chrono::milliseconds window) {
  std::vector<Received> got;
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return got;
  const sockaddr_in addr = Loopback(port);
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + window;
  if (sendto(fd, query.data(), query.size(), 0, reinterpret_cast<const sockaddr*>(&addr),
             sizeof(addr)) == static_cast<ssize_t>(query.size())) {
    while (got.size() < max_replies) {
      pollfd pfd{fd, POLLIN, 0};
      if (poll(&pfd, 1, MsLeft(deadline)) <= 0) break;
      Wire buf(65535);
      const ssize_t n = recv(fd, buf.data(), buf.size(), 0);
      if (n < 0) break;
      buf.resize(static_cast<size_t>(n));
      got.push_back({std::move(buf), std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - start)});
    }
  }
  close(fd);
  return got;
}

TcpClient::TcpClient(uint16_t port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in addr = Loopback(port);
  if (fd_ >= 0 && connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

TcpClient::~TcpClient() {
  if (fd_ >= 0) close(fd_);
}

bool TcpClient::SendRaw(const Wire& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool TcpClient::SendFramed(const Wire& message) {
  Wire framed = {static_cast<uint8_t>(message.size() >> 8), static_cast<uint8_t>(message.size())};
  framed.insert(framed.end(), message.begin(), message.end());
  return SendRaw(framed);
}

bool TcpClient::ReadExact(size_t n, Wire* out, std::chrono::steady_clock::time_point deadline) {
  out->resize(n);
  size_t have = 0;
  while (have < n) {
    pollfd pfd{fd_, POLLIN, 0};
    if (poll(&pfd, 1, MsLeft(deadline)) <= 0) return false;
    const ssize_t r = recv(fd_, out->data() + have, n - have, 0);
    if (r <= 0) return false;
    have += static_cast<size_t>(r);
  }
  return true;
}

std::optional<Wire> TcpClient::Receive(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Wire prefix;
  Wire message;
  if (!ReadExact(2, &prefix, deadline)) return std::nullopt;
  const size_t len = (static_cast<size_t>(prefix[0]) << 8) | prefix[1];
  if (!ReadExact(len, &message, deadline)) return std::nullopt;
  return message;
}

bool TcpClient::ClosedWithin(std::chrono::milliseconds timeout) {
  pollfd pfd{fd_, POLLIN, 0};
  if (poll(&pfd, 1, static_cast<int>(timeout.count())) <= 0) return false;
  uint8_t byte;
  return recv(fd_, &byte, 1, MSG_PEEK) == 0;
}

}  // namespace portcullis::testing::dns_test
