#include "dns/dns_event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace portcullis::dns {
namespace {

// Events taken per epoll_wait; more simply wait for the next round.
constexpr int kMaxEventsPerWait = 64;

// epoll_wait counts milliseconds in an int; a longer wait is cut to this and
// the loop simply waits again.
constexpr int64_t kMaxWaitMs = 60'000;

}  // namespace

std::unique_ptr<EventLoop> EventLoop::Create(std::string* error) {
  int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) {
    *error = std::string("epoll_create1: ") + std::strerror(errno);
    return nullptr;
  }
  int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0) {
    *error = std::string("eventfd: ") + std::strerror(errno);
    close(epoll_fd);
    return nullptr;
  }
  std::unique_ptr<EventLoop> loop(new EventLoop(epoll_fd, wake_fd));
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kWakeToken;
  if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &event) != 0) {
    *error = std::string("epoll_ctl: ") + std::strerror(errno);
    return nullptr;
  }
  return loop;
}

EventLoop::~EventLoop() {
  close(wake_fd_);
  close(epoll_fd_);
}

bool EventLoop::Watch(int fd, uint32_t events, uint64_t token) {
  epoll_event event{};
  event.events = events;
  event.data.u64 = token;
  return epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) == 0;
}

bool EventLoop::Modify(int fd, uint32_t events, uint64_t token) {
  epoll_event event{};
  event.events = events;
  event.data.u64 = token;
  return epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) == 0;
}

void EventLoop::Unwatch(int fd) { epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

void EventLoop::Wake() {
  uint64_t one = 1;
  // Cannot fail short of a counter overflow (2^64 - 2 pending wakes); a
  // failed write would still leave the counter non-zero, i.e. readable.
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof(one));
}

void EventLoop::Wait(Clock::time_point until, std::vector<Event>* events) {
  events->clear();
  int timeout_ms = -1;
  if (until != Clock::time_point::max()) {
    auto left = until - Clock::now();
    // Round up: waking a little after a deadline fires it; waking before it
    // would only spin.
    int64_t ms = left <= Clock::duration::zero()
                     ? 0
                     : std::chrono::ceil<std::chrono::milliseconds>(left).count();
    timeout_ms = static_cast<int>(ms > kMaxWaitMs ? kMaxWaitMs : ms);
  }
  epoll_event ready[kMaxEventsPerWait];
  int n = epoll_wait(epoll_fd_, ready, kMaxEventsPerWait, timeout_ms);
  for (int i = 0; i < n; ++i) {
    if (ready[i].data.u64 == kWakeToken) {
      uint64_t count;
      [[maybe_unused]] ssize_t r = read(wake_fd_, &count, sizeof(count));
    }
    events->push_back({ready[i].data.u64, ready[i].events});
  }
}

}  // namespace portcullis::dns
