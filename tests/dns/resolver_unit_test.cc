// The resolver end to end without a DNS server: option checks, names refused
// before sending, and against a local UDP socket that never answers, the
// retry schedule, deadlines, merged waiters and shutdown.
#include <arpa/inet.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <prometheus/registry.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dns_test_util.h"
#include "portcullis/dns.h"

namespace portcullis::dns {
namespace {

using std::chrono::milliseconds;
using testing::Collector;
using testing::Delivery;
using testing::Summary;
using Clock = std::chrono::steady_clock;

// A UDP socket on 127.0.0.1 that receives queries and never answers.
class BlackHole {
 public:
  BlackHole() {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    socklen_t length = sizeof(address);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~BlackHole() { close(fd_); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  struct Datagram {
    uint16_t source_port;
    uint16_t id;
  };
  std::vector<Datagram> Drain() {
    std::vector<Datagram> out;
    uint8_t buffer[2048];
    for (;;) {
      sockaddr_in from{};
      socklen_t length = sizeof(from);
      ssize_t n =
          recvfrom(fd_, buffer, sizeof(buffer), 0, reinterpret_cast<sockaddr*>(&from), &length);
      if (n < 0) return out;
      if (n >= 2)
        out.push_back({ntohs(from.sin_port), static_cast<uint16_t>(buffer[0] << 8 | buffer[1])});
    }
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

int OpenFileDescriptors() {
  int count = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (readdir(dir)) ++count;
    closedir(dir);
  }
  return count;
}

ResolverOptions Options(std::vector<std::string> servers) {
  ResolverOptions options;
  options.servers = std::move(servers);
  options.attempt_timeout = milliseconds(40);
  options.attempts = 2;
  options.query_timeout = milliseconds(2000);
  return options;
}

TEST(DnsResolver, MakeResolverRefusesUnusableOptions) {
  struct Case {
    std::string what;
    ResolverOptions options;
    std::string want_in_error;  // "" when it must succeed
  };
  std::vector<Case> cases;
  cases.push_back({"valid", Options({"127.0.0.1:5353", "[::1]:53"}), ""});
  cases.push_back({"server by name", Options({"127.0.0.1", "dns.example"}), "dns.example"});
  cases.push_back({"bad port", Options({"127.0.0.1:99999"}), "99999"});
  ResolverOptions options = Options({"127.0.0.1"});
  options.attempts = 0;
  cases.push_back({"no attempts", options, "attempts"});
  options = Options({"127.0.0.1"});
  options.attempt_timeout = milliseconds(0);
  cases.push_back({"zero attempt timeout", options, "attempt_timeout"});
  options = Options({"127.0.0.1"});
  options.query_timeout = milliseconds(-1);
  cases.push_back({"negative query timeout", options, "query_timeout"});
  options = Options({"127.0.0.1"});
  options.cache_min_ttl = 100;
  options.cache_max_ttl = 10;
  cases.push_back({"min TTL over max TTL", options, "cache_min_ttl"});
  for (const Case& c : cases) {
    std::string error;
    std::unique_ptr<Resolver> resolver = MakeResolver(c.options, nullptr, &error);
    if (c.want_in_error.empty()) {
      EXPECT_NE(resolver, nullptr) << c.what << ": " << error;
    } else {
      EXPECT_EQ(resolver, nullptr) << c.what;
      EXPECT_NE(error.find(c.want_in_error), std::string::npos) << c.what << ": got " << error;
    }
  }
}

TEST(DnsResolver, ResolversShareOneRegistry) {
  // A reload that changes the dns options makes a second resolver while the
  // first still serves old snapshots: both register the same families.
  prometheus::Registry registry;
  std::string error;
  auto first = MakeResolver(Options({"127.0.0.1:5353"}), &registry, &error);
  ASSERT_NE(first, nullptr) << error;
  auto second = MakeResolver(Options({"127.0.0.1:5354"}), &registry, &error);
  ASSERT_NE(second, nullptr) << error;
  size_t dns_families = 0;
  for (const auto& family : registry.Collect()) {
    if (family.name.rfind("portcullis_dns_", 0) == 0) ++dns_families;
  }
  EXPECT_EQ(dns_families, 8u);
}

TEST(DnsResolver, InvalidNamesArePermErrorsInlineAndNeverSent) {
  BlackHole server;
  std::string error;
  auto resolver = MakeResolver(Options({server.address()}), nullptr, &error);
  ASSERT_NE(resolver, nullptr) << error;
  struct Case {
    std::string name;
    std::string want;
  } cases[] = {
      {"", "permerror empty name"},
      {"a..example", "permerror empty label"},
      {std::string(64, 'a') + ".example", "permerror label longer than 63 octets"},
      {std::string(50, 'a') + "." + std::string(50, 'b') + "." + std::string(50, 'c') + "." +
           std::string(50, 'd') + "." + std::string(50, 'e'),  // 254 characters
       "permerror name longer than 253 characters"},
  };
  for (const Case& c : cases) {
    AnswerPtr got;
    std::thread::id thread;
    resolver->Lookup(c.name, RecordType::kA, Deadline::After(milliseconds(500)),
                     [&](const AnswerPtr& answer) {
                       got = answer;
                       thread = std::this_thread::get_id();
                     });
    // Inline: already called, on this thread.
    EXPECT_EQ(Summary(got), c.want) << c.name;
    EXPECT_EQ(thread, std::this_thread::get_id()) << c.name;
  }
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_TRUE(server.Drain().empty());
}

TEST(DnsResolver, RetriesAcrossServersWithBackoffThenTimesOut) {
  Collector collector;  // outlives the resolver
  BlackHole first, second;
  std::string error;
  // 2 servers x 2 rounds: 40 ms, 40 ms, then 80 ms, 80 ms = 240 ms.
  auto resolver = MakeResolver(Options({first.address(), second.address()}), nullptr, &error);
  ASSERT_NE(resolver, nullptr) << error;
  Clock::time_point start = Clock::now();
  resolver->Lookup("retry.example", RecordType::kA, Deadline::After(milliseconds(2000)),
                   collector.Callback(0));
  ASSERT_TRUE(collector.WaitFor(1, milliseconds(2000)));
  Delivery got = collector.Take()[0];
  EXPECT_EQ(Summary(got.answer), "temperror timeout");
  EXPECT_NE(got.thread, std::this_thread::get_id());
  auto elapsed = std::chrono::duration_cast<milliseconds>(got.when - start).count();
  EXPECT_GE(elapsed, 240);
  EXPECT_LT(elapsed, 240 + 60);
  std::vector<BlackHole::Datagram> a = first.Drain(), b = second.Drain();
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(b.size(), 2u);
  // RFC 5452: a fresh socket (source port) and ID per attempt.
  std::set<uint16_t> ports, ids;
  for (const auto& d : a) ports.insert(d.source_port), ids.insert(d.id);
  for (const auto& d : b) ports.insert(d.source_port), ids.insert(d.id);
  EXPECT_GE(ports.size(), 3u);
  EXPECT_GE(ids.size(), 3u);
}

TEST(DnsResolver, CallerDeadlinesEndLookupsOnTime) {
  Collector collector;  // outlives the resolver
  BlackHole server;
  std::string error;
  ResolverOptions options = Options({server.address()});
  options.attempt_timeout = milliseconds(1000);
  auto resolver = MakeResolver(options, nullptr, &error);
  ASSERT_NE(resolver, nullptr) << error;
  Clock::time_point start = Clock::now();
  // Same question, merged: each caller's own deadline still holds.
  const int kDeadlinesMs[] = {60, 150, 100, 0};
  for (int i = 0; i < 4; ++i) {
    resolver->Lookup("slow.example", RecordType::kTxt,
                     Deadline(start + milliseconds(kDeadlinesMs[i])), collector.Callback(i));
  }
  ASSERT_TRUE(collector.WaitFor(4, milliseconds(2000)));
  EXPECT_EQ(collector.CallsPerSlot(4), std::vector<int>({1, 1, 1, 1}));
  std::vector<Delivery> got = collector.Take();
  ASSERT_EQ(got.size(), 4u);
  // Arrival order follows the deadlines: 0, 60, 100, 150.
  const int kOrderedMs[] = {0, 60, 100, 150};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Summary(got[static_cast<size_t>(i)].answer), "temperror timeout");
    auto at = std::chrono::duration_cast<milliseconds>(got[static_cast<size_t>(i)].when - start);
    EXPECT_GE(at.count(), kOrderedMs[i]) << "deadline " << kOrderedMs[i];
    EXPECT_LT(at.count(), kOrderedMs[i] + 50) << "deadline " << kOrderedMs[i];
  }
  EXPECT_EQ(server.Drain().size(), 1u);  // one query for all four
}

TEST(DnsResolver, QueryTimeoutCapsALaterCallerDeadline) {
  Collector collector;  // outlives the resolver
  BlackHole server;
  std::string error;
  ResolverOptions options = Options({server.address()});
  options.attempt_timeout = milliseconds(1000);
  options.query_timeout = milliseconds(80);
  auto resolver = MakeResolver(options, nullptr, &error);
  ASSERT_NE(resolver, nullptr) << error;
  Clock::time_point start = Clock::now();
  resolver->Lookup("capped.example", RecordType::kA, Deadline::Never(), collector.Callback(0));
  ASSERT_TRUE(collector.WaitFor(1, milliseconds(2000)));
  Delivery got = collector.Take()[0];
  EXPECT_EQ(Summary(got.answer), "temperror timeout");
  auto at = std::chrono::duration_cast<milliseconds>(got.when - start).count();
  EXPECT_GE(at, 80);
  EXPECT_LT(at, 130);
}

TEST(DnsResolver, DestructorCompletesEveryLookupOnceAndClosesSockets) {
  BlackHole server;
  int fds_before = OpenFileDescriptors();
  Collector collector;
  constexpr int kLookups = 20;
  {
    std::string error;
    ResolverOptions options = Options({server.address()});
    options.attempt_timeout = milliseconds(5000);
    options.query_timeout = milliseconds(10000);
    auto resolver = MakeResolver(options, nullptr, &error);
    ASSERT_NE(resolver, nullptr) << error;
    for (int i = 0; i < kLookups; ++i) {
      // Half of them merged onto the same question.
      std::string name = i % 2 ? "same.example" : "n" + std::to_string(i) + ".example";
      resolver->Lookup(name, RecordType::kA, Deadline::After(milliseconds(10000)),
                       collector.Callback(i));
    }
    std::this_thread::sleep_for(milliseconds(50));  // let the loop send them
    EXPECT_GT(OpenFileDescriptors(), fds_before);
  }
  EXPECT_EQ(collector.CallsPerSlot(kLookups), std::vector<int>(kLookups, 1));
  for (const Delivery& d : collector.Take()) {
    EXPECT_EQ(Summary(d.answer), "temperror resolver stopped");
  }
  EXPECT_EQ(OpenFileDescriptors(), fds_before);
  EXPECT_EQ(server.Drain().size(), static_cast<size_t>(kLookups / 2 + 1));
}

TEST(DnsResolver, CallbacksMayStartLookups) {
  Collector collector;  // outlives the resolver
  // An SPF include chains its next lookup from the previous callback; that
  // runs on the loop thread and must not deadlock.
  BlackHole server;
  std::string error;
  auto resolver = MakeResolver(Options({server.address()}), nullptr, &error);
  ASSERT_NE(resolver, nullptr) << error;
  LookupCallback second = collector.Callback(1);
  resolver->Lookup("first.example", RecordType::kA, Deadline::After(milliseconds(30)),
                   [&resolver, second](const AnswerPtr&) {
                     resolver->Lookup("second.example", RecordType::kA,
                                      Deadline::After(milliseconds(30)), second);
                     resolver->Lookup("bad..name", RecordType::kA,
                                      Deadline::After(milliseconds(30)), second);
                   });
  ASSERT_TRUE(collector.WaitFor(2, milliseconds(2000)));
  std::vector<Delivery> got = collector.Take();
  EXPECT_EQ(Summary(got[0].answer), "permerror empty label");
  EXPECT_EQ(Summary(got[1].answer), "temperror timeout");
}

}  // namespace
}  // namespace portcullis::dns
