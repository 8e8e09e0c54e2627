#include "milter/milter_signals.h"

#include <signal.h>

#include <cerrno>
#include <mutex>

namespace portcullis {
namespace {

std::mutex g_hook_mutex;
std::function<void(int)>* g_before_stop = nullptr;  // set once, never freed

}  // namespace

void BlockDaemonSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal_number : {SIGTERM, SIGHUP, SIGINT, SIGUSR1}) sigaddset(&signals, signal_number);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

void SetBeforeStopHook(std::function<void(int)> hook) {
  std::lock_guard<std::mutex> lock(g_hook_mutex);
  g_before_stop = new std::function<void(int)>(std::move(hook));
}

}  // namespace portcullis

// Interposes libc's sigwait for the whole process (libmilter resolves it
// through the executable first). Same contract as POSIX sigwait.
extern "C" int sigwait(const sigset_t* set, int* signal_number) {
  while (true) {
    int received = sigwaitinfo(set, nullptr);
    if (received < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (received == SIGTERM || received == SIGHUP) {
      std::function<void(int)>* hook = nullptr;
      {
        std::lock_guard<std::mutex> lock(portcullis::g_hook_mutex);
        hook = portcullis::g_before_stop;
      }
      if (hook) (*hook)(received);
    }
    *signal_number = received;
    return 0;
  }
}
