// MilterSocketFinder reads the socket from the head of libmilter's context;
// here a context is faked with the same head (thread id, then socket).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "milter/milter_connection_socket.h"

namespace portcullis {
namespace {

struct FakeContext {
  pthread_t id = pthread_self();
  int socket = -1;
  char rest[64] = {};
};

SMFICTX* AsContext(FakeContext* fake) { return reinterpret_cast<SMFICTX*>(fake); }

// A unix listener with one accepted connection.
class UnixConnection {
 public:
  UnixConnection() {
    path_ =
        (std::filesystem::temp_directory_path() / ("finder-" + std::to_string(getpid()) + ".sock"))
            .string();
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof(address.sun_path) - 1);
    unlink(path_.c_str());
    listener_ = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    listen(listener_, 4);
    client_ = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(client_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    accepted_ = accept(listener_, nullptr, nullptr);
  }
  ~UnixConnection() {
    for (int fd : {accepted_, client_, listener_}) close(fd);
    unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  int listener() const { return listener_; }
  int accepted() const { return accepted_; }

 private:
  std::string path_;
  int listener_ = -1, client_ = -1, accepted_ = -1;
};

TEST(MilterSocketFinderTest, FindsOnlyAConnectionOfItsListener) {
  UnixConnection connection;
  ASSERT_GE(connection.accepted(), 0);
  MilterSocketFinder finder(0, connection.path());
  MilterSocketFinder elsewhere(0, connection.path() + ".other");
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  FakeContext context;
  for (int fd : {pipe_ends[0], connection.listener()}) {
    context.socket = fd;
    EXPECT_EQ(finder.Find(AsContext(&context)), -1) << "fd " << fd;
  }
  context.socket = connection.accepted();
  EXPECT_EQ(elsewhere.Find(AsContext(&context)), -1);
  EXPECT_EQ(finder.Find(AsContext(&context)), connection.accepted());
  close(pipe_ends[0]);
  close(pipe_ends[1]);
}

// The checks cost system calls on every connection; the layout they confirm
// cannot change within a process, so after a few confirmations the socket
// is taken as read, and until then nothing unconfirmed is.
TEST(MilterSocketFinderTest, TakesTheSocketAsReadOnceTheLayoutIsConfirmed) {
  UnixConnection connection;
  MilterSocketFinder finder(0, connection.path());
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  FakeContext ours, other;
  ours.socket = connection.accepted();
  other.socket = pipe_ends[0];
  for (int i = 0; i < MilterSocketFinder::kTrustAfter; ++i) {
    EXPECT_EQ(finder.Find(AsContext(&other)), -1) << "before confirmation " << i;
    EXPECT_EQ(finder.Find(AsContext(&ours)), connection.accepted());
  }
  EXPECT_EQ(finder.Find(AsContext(&other)), pipe_ends[0]);
  other.socket = 2;  // never a connection: stdin, stdout, stderr
  EXPECT_EQ(finder.Find(AsContext(&other)), -1);
  EXPECT_EQ(finder.Find(nullptr), -1);
  close(pipe_ends[0]);
  close(pipe_ends[1]);
}

}  // namespace
}  // namespace portcullis
