#include "milter/milter_server.h"

#include <dirent.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "milter/milter_connection_socket.h"
#include "milter/milter_context.h"
#include "milter/milter_signals.h"
#include "portcullis/log.h"

namespace portcullis {
namespace {

// libmilter offers no handle on its listening socket, so find it among
// our descriptors: a socket in the listening state.
std::vector<int> ListeningSockets() {
  std::vector<int> found;
  DIR* fds = opendir("/proc/self/fd");
  if (!fds) return found;
  while (dirent* entry = readdir(fds)) {
    int fd = atoi(entry->d_name);
    if (fd <= 2 || fd == dirfd(fds)) continue;
    int listening = 0;
    socklen_t length = sizeof(listening);
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0 && listening) {
      found.push_back(fd);
    }
  }
  closedir(fds);
  return found;
}

// The port of an "inet:PORT@HOST" or "inet6:PORT@HOST" spec, or 0. Taken
// from the spec, not the listening sockets: the metrics exposer listens in
// this process too.
int SpecTcpPort(const std::string& spec) {
  if (spec.rfind("inet:", 0) != 0 && spec.rfind("inet6:", 0) != 0) return 0;
  const size_t colon = spec.find(':');
  return std::atoi(spec.substr(colon + 1, spec.find('@') - colon - 1).c_str());
}

// libmilter does not set TCP_NODELAY. A filter that sends two packets at end
// of message (a header change, then the verdict) then waits on the MTA's
// delayed ACK: measured 23 messages/s on one connection instead of 2,700.
// Linux copies TCP_NODELAY from the listening socket to accepted ones.
int SetNoDelayOnListeningSockets(const std::vector<int>& listeners) {
  int count = 0;
  for (int fd : listeners) {
    int one = 1;
    if (LocalTcpPort(fd) > 0 && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0) {
      ++count;
    }
  }
  return count;
}

// Stops new MTA connections without touching libmilter's stop flag (see
// milter_signals.h): the listening descriptor is replaced by an idle,
// non-blocking loopback socket nobody connects to. libmilter's listener may
// be inside poll() on the old socket; the old socket lives until that poll
// returns (within libmilter's 5 s tick: a wake-up re-polls the descriptor,
// which is now the idle socket), and closing it then resets whatever waits
// in its backlog, well inside the MTA's milter timeouts. After that the MTA
// gets "connection refused" and applies milter_default_action.
// Not shutdown(): poll would report the shut-down socket as an exception
// and libmilter would abort every session, the one in flight included.
// Non-blocking, because libmilter calls accept() on this descriptor after a
// wake-up meant for the old socket, and retries on EAGAIN.
void CloseListenerToNewConnections(const std::vector<int>& listeners,
                                   const std::string& unix_path) {
  if (!unix_path.empty()) ::unlink(unix_path.c_str());
  for (int fd : listeners) {
    int idle = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (idle < 0 || bind(idle, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        listen(idle, 1) != 0 || dup2(idle, fd) < 0) {
      LogWarning(std::string("could not replace the listening socket: ") + strerror(errno));
    }
    if (idle >= 0) close(idle);
  }
}

// How long the stop hook waits, after the last message in flight got its
// verdict, for libmilter to write that reply. The write follows the callback
// within microseconds; this is ample even on a loaded machine.
constexpr auto kReplyGrace = std::chrono::milliseconds(300);

std::string UnixPath(const std::string& spec) {
  auto colon = spec.find(':');
  return spec.substr(colon + 1);
}

bool IsUnix(const std::string& spec) {
  return spec.rfind("unix:", 0) == 0 || spec.rfind("local:", 0) == 0;
}

bool SetUnixSocketAccess(const ListenerConfig& listener) {
  std::string path = UnixPath(listener.spec);
  mode_t mode = static_cast<mode_t>(std::stoul(listener.socket_mode, nullptr, 8));
  if (chmod(path.c_str(), mode) != 0) {
    LogError("cannot chmod " + path + ": " + strerror(errno));
    return false;
  }
  if (listener.socket_owner.empty()) return true;
  std::string user = listener.socket_owner;
  std::string group_name;
  if (auto colon = user.find(':'); colon != std::string::npos) {
    group_name = user.substr(colon + 1);
    user = user.substr(0, colon);
  }
  uid_t uid = static_cast<uid_t>(-1);
  gid_t gid = static_cast<gid_t>(-1);
  if (!user.empty()) {
    passwd* pw = getpwnam(user.c_str());
    if (!pw) {
      LogError("socket_owner: no such user " + user);
      return false;
    }
    uid = pw->pw_uid;
  }
  if (!group_name.empty()) {
    struct group* gr = getgrnam(group_name.c_str());
    if (!gr) {
      LogError("socket_owner: no such group " + group_name);
      return false;
    }
    gid = gr->gr_gid;
  }
  if (chown(path.c_str(), uid, gid) != 0) {
    LogError("cannot chown " + path + ": " + strerror(errno));
    return false;
  }
  return true;
}

}  // namespace

int RunMilterServer(const MilterServerOptions& options, SnapshotHolder* snapshots,
                    std::function<void()> on_reload) {
  SetMilterSnapshots(snapshots);
  // Normally done first thing in main(); repeated here for callers that
  // did not, before libmilter starts its threads.
  BlockDaemonSignals();
  sigset_t reload_signals;
  sigemptyset(&reload_signals);
  sigaddset(&reload_signals, SIGUSR1);

  std::string spec = options.listener.spec;
  if (smfi_register(*MilterCallbacks()) == MI_FAILURE) {
    LogError("smfi_register failed");
    return 1;
  }
  if (smfi_setconn(spec.data()) == MI_FAILURE) {
    LogError("invalid listen address " + spec);
    return 2;
  }
  smfi_setbacklog(options.listener.backlog);
  if (smfi_opensocket(true) == MI_FAILURE) {
    LogError("cannot listen on " + spec + " (address in use, or permission denied?)");
    return 1;
  }
  std::vector<int> listeners = ListeningSockets();
  if (IsUnix(spec)) {
    if (!SetUnixSocketAccess(options.listener)) return 1;
  } else if (SetNoDelayOnListeningSockets(listeners) == 0) {
    LogWarning("could not set TCP_NODELAY on the milter socket; expect slow replies");
  }
  SetMilterListenerKind({IsUnix(spec), SpecTcpPort(spec), IsUnix(spec) ? UnixPath(spec) : ""});
  std::string unix_path = IsUnix(spec) ? UnixPath(spec) : "";
  int64_t drain_ms = options.drain_timeout_ms;
  std::function<void()> on_stopped = options.on_stopped;
  SetBeforeStopHook([listeners, unix_path, drain_ms, on_stopped](int signal_number) {
    LogInfo(std::string(signal_number == SIGTERM ? "SIGTERM" : "SIGHUP") +
            ": closing the listener; " + std::to_string(InFlightMilterMessages().load()) +
            " messages in flight");
    CloseListenerToNewConnections(listeners, unix_path);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(drain_ms);
    while (InFlightMilterMessages() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (InFlightMilterMessages() > 0) {
      LogWarning("drain timeout: " + std::to_string(InFlightMilterMessages().load()) +
                 " messages still in flight are abandoned to the MTA's default action");
    } else {
      LogInfo("no messages in flight; stopping");
    }
    // The last verdict was decided before its worker handed the reply to
    // libmilter, which writes it right after the callback returns; give it
    // that moment. Then exit here rather than through libmilter's pool
    // teardown, which destroys mutexes its own workers still wait on.
    std::this_thread::sleep_for(kReplyGrace);
    if (on_stopped) on_stopped();
    LogInfo("stopped");
    std::_Exit(0);
  });

  std::atomic<bool> stopping{false};
  std::thread reload_thread([&] {
    while (true) {
      int signal_number = 0;
      if (sigwait(&reload_signals, &signal_number) != 0) continue;
      if (stopping) return;
      LogInfo("SIGUSR1: reloading configuration");
      on_reload();
    }
  });

  LogInfo("listening on " + spec);
  int status = smfi_main();
  stopping = true;
  pthread_kill(reload_thread.native_handle(), SIGUSR1);
  reload_thread.join();
  LogInfo("stopped");
  return status == MI_SUCCESS ? 0 : 1;
}

}  // namespace portcullis
