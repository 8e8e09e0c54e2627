// FakeFilter: a scripted filter on one end of a socketpair, for unit tests.
//
// The test gives a handler that maps each received packet to the packets to
// send back; FakeFilter runs it on its own thread until the client closes the
// socket, sends SMFIC_QUIT, or Join() is called. Everything received is kept
// for assertions. The client end of the socketpair is handed out once via
// TakeClientFd(); FakeFilter owns (and closes) its own end.
#ifndef PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_FAKE_FILTER_H_
#define PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_FAKE_FILTER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "framing.h"

namespace portcullis::milterclient {

class FakeFilter {
 public:
  using Handler = std::function<std::vector<Packet>(const Packet&)>;

  explicit FakeFilter(Handler handler);
  ~FakeFilter();
  FakeFilter(const FakeFilter&) = delete;
  FakeFilter& operator=(const FakeFilter&) = delete;

  int TakeClientFd();
  // Waits for the filter thread (the client must have quit or closed).
  void Join();
  std::vector<Packet> received();
  // The command bytes received, e.g. "OCHMRTLLNBE", macros ('D') omitted.
  std::string commands();

  // Helpers for handlers.
  static Packet Reply(char code, std::string payload = "");
  static Packet OptnegReply(uint32_t actions, uint32_t protocol,
                            const std::map<uint32_t, std::string>& macro_lists = {});

 private:
  void Run();

  Handler handler_;
  int filter_fd_ = -1;
  int client_fd_ = -1;
  std::mutex mutex_;
  std::vector<Packet> received_;
  std::thread thread_;
};

}  // namespace portcullis::milterclient

#endif  // PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_FAKE_FILTER_H_
