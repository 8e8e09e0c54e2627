// The resolver's event loop primitives: one epoll instance for the sockets
// of outstanding queries, an eventfd that other threads write to wake it
// (new lookups, shutdown), and a wait bounded by the earliest deadline.
//
// Owns the epoll and eventfd descriptors (closed by the destructor), not the
// watched sockets. Wake() may be called from any thread; everything else
// only from the loop thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace portcullis::dns {

class EventLoop {
 public:
  using Clock = std::chrono::steady_clock;
  // The token Wait() reports for a Wake().
  static constexpr uint64_t kWakeToken = 0;

  struct Event {
    uint64_t token;
    uint32_t events;  // EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP
  };

  // nullptr with `error` set when epoll or eventfd cannot be created.
  static std::unique_ptr<EventLoop> Create(std::string* error);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Level-triggered interest in `events` on `fd`, reported with `token`
  // (never kWakeToken). Returns false on failure (errno set).
  bool Watch(int fd, uint32_t events, uint64_t token);
  bool Modify(int fd, uint32_t events, uint64_t token);
  // Call before closing `fd`: a descriptor duplicated into a child process
  // between fork and exec would otherwise keep reporting events.
  void Unwatch(int fd);

  // Thread-safe.
  void Wake();

  // Waits for events or until `until` (Clock::time_point::max(): no limit)
  // and fills `events`. A wake is reported once however often Wake() was
  // called, and is reset here.
  void Wait(Clock::time_point until, std::vector<Event>* events);

 private:
  EventLoop(int epoll_fd, int wake_fd) : epoll_fd_(epoll_fd), wake_fd_(wake_fd) {}

  int epoll_fd_;
  int wake_fd_;
};

}  // namespace portcullis::dns
