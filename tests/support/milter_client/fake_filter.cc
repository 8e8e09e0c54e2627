#include "fake_filter.h"

#include <libmilter/mfdef.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <utility>

namespace portcullis::milterclient {

FakeFilter::FakeFilter(Handler handler) : handler_(std::move(handler)) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    throw std::runtime_error("socketpair failed");
  }
  filter_fd_ = fds[0];
  client_fd_ = fds[1];
  thread_ = std::thread([this] { Run(); });
}

FakeFilter::~FakeFilter() {
  if (client_fd_ >= 0) ::close(client_fd_);
  // Unblock a filter thread still reading, then wait for it.
  ::shutdown(filter_fd_, SHUT_RDWR);
  Join();
  ::close(filter_fd_);
}

int FakeFilter::TakeClientFd() { return std::exchange(client_fd_, -1); }

void FakeFilter::Join() {
  if (thread_.joinable()) thread_.join();
}

std::vector<Packet> FakeFilter::received() {
  std::lock_guard lock(mutex_);
  return received_;
}

std::string FakeFilter::commands() {
  std::string out;
  for (const Packet& packet : received()) {
    if (packet.command != SMFIC_MACRO) out.push_back(packet.command);
  }
  return out;
}

Packet FakeFilter::Reply(char code, std::string payload) { return Packet{code, std::move(payload)}; }

Packet FakeFilter::OptnegReply(uint32_t actions, uint32_t protocol,
                               const std::map<uint32_t, std::string>& macro_lists) {
  Packet packet{SMFIC_OPTNEG, ""};
  AppendUint32(&packet.payload, SMFI_PROT_VERSION);
  AppendUint32(&packet.payload, actions);
  AppendUint32(&packet.payload, protocol);
  for (const auto& [stage, names] : macro_lists) {
    AppendUint32(&packet.payload, stage);
    AppendCString(&packet.payload, names);
  }
  return packet;
}

void FakeFilter::Run() {
  PacketDecoder decoder;
  char buf[16 * 1024];
  for (;;) {
    const ssize_t n = ::read(filter_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    decoder.Append(buf, static_cast<size_t>(n));
    while (auto packet = decoder.Next()) {
      {
        std::lock_guard lock(mutex_);
        received_.push_back(*packet);
      }
      for (const Packet& reply : handler_(*packet)) {
        const std::string wire = EncodePacket(reply.command, reply.payload);
        if (::send(filter_fd_, wire.data(), wire.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(wire.size())) {
          return;
        }
      }
      if (packet->command == SMFIC_QUIT) return;
    }
  }
}

}  // namespace portcullis::milterclient
