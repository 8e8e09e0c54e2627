// The resolver against the real test DNS server (tests/support/dns_server)
// on 127.0.0.1, with the zones in tests/data/dns/resolver and the server's
// fault modes. Suite names start with ResolverIntegration (label
// integration); timeouts are short so the suite stays within seconds.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "dns_server_process.h"
#include "dns_test_util.h"
#include "portcullis/dns.h"

namespace portcullis::dns {
namespace {

using portcullis::testing::DnsServerProcess;
using std::chrono::milliseconds;
using testing::Collector;
using testing::Delivery;
using testing::Summary;
using Clock = std::chrono::steady_clock;

const std::string kZoneDir = PORTCULLIS_DNS_RESOLVER_ZONES;

std::string Zone(const char* file) { return kZoneDir + "/" + file; }

// Fault names in resolver.zone and what the server does for them.
const std::vector<std::string> kFaults = {
    "drop.resolver.test=drop",
    "servfail.resolver.test=servfail",
    "refused.resolver.test=refused",
    "truncate.resolver.test=truncate",
    "wrongid.resolver.test=wrong-id",
    "wrongq.resolver.test=wrong-question",
    "comploop.resolver.test=compression-loop",
    "short.resolver.test=short",
    "slow.resolver.test=delay-200",
    "slower.resolver.test=delay-300",
};

double MetricValue(prometheus::Registry& registry, const std::string& name,
                   const std::string& label = "", const std::string& value = "") {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      bool match = label.empty();
      for (const prometheus::ClientMetric::Label& l : metric.label) {
        if (l.name == label && l.value == value) match = true;
      }
      if (!match) continue;
      if (family.type == prometheus::MetricType::Histogram) {
        return static_cast<double>(metric.histogram.sample_count);
      }
      return metric.counter.value;
    }
  }
  return -1;
}

class ResolverIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = Start({Zone("resolver.zone"), Zone("reverse.zone"), Zone("negative.zone")}, kFaults);
    ASSERT_NE(server_, nullptr);
  }

  std::unique_ptr<DnsServerProcess> Start(const std::vector<std::string>& zones,
                                          const std::vector<std::string>& faults) {
    std::string error;
    auto server = DnsServerProcess::Start(zones, faults, &error);
    EXPECT_NE(server, nullptr) << error;
    return server;
  }

  static ResolverOptions Options(std::vector<std::string> servers) {
    ResolverOptions options;
    options.servers = std::move(servers);
    options.attempt_timeout = milliseconds(100);
    options.attempts = 2;
    options.query_timeout = milliseconds(3000);
    return options;
  }

  std::unique_ptr<Resolver> Make(const ResolverOptions& options,
                                 prometheus::Registry* registry = nullptr) {
    std::string error;
    auto resolver = MakeResolver(options, registry, &error);
    EXPECT_NE(resolver, nullptr) << error;
    return resolver;
  }

  std::unique_ptr<Resolver> Make() { return Make(Options({server_->address()})); }

  static AnswerPtr Get(Resolver& resolver, const std::string& name, RecordType type,
                       milliseconds deadline = milliseconds(2000)) {
    auto result = resolver.Lookup(name, type, Deadline::After(deadline));
    std::optional<AnswerPtr> answer =
        result->WaitUntil(Deadline::After(deadline + milliseconds(500)));
    return answer ? *answer : nullptr;
  }

  std::unique_ptr<DnsServerProcess> server_;
};

TEST_F(ResolverIntegration, AnswersByType) {
  auto resolver = Make();
  ASSERT_NE(resolver, nullptr);
  struct Case {
    std::string name;
    RecordType type;
    std::string want;
    uint32_t want_ttl;
  } cases[] = {
      {"host.resolver.test", RecordType::kA, "ok 192.0.2.1,192.0.2.2", 300},
      {"HOST.Resolver.TEST.", RecordType::kAaaa, "ok 2001:db8::1", 300},
      {"txt.resolver.test", RecordType::kTxt,
       "ok \"v=spf1 include:_spf.resolver.test -all\",\"second record\"", 300},
      {"mail.resolver.test", RecordType::kMx, "ok 10:mx1.resolver.test,20:mx2.resolver.test", 300},
      {"nullmx.resolver.test", RecordType::kMx, "ok 0:", 300},
      {ReverseName(*IpAddress::Parse("192.0.2.1")) + ".in-addr.arpa", RecordType::kPtr,
       "ok host.resolver.test", 300},
      {"resolver.test", RecordType::kNs, "ok ns.resolver.test", 300},
      {"c1.resolver.test", RecordType::kA, "ok 192.0.2.9", 60},  // 3 CNAME hops
      {"c1.resolver.test", RecordType::kCname, "ok c2.resolver.test", 300},
      {"nope.resolver.test", RecordType::kA, "nxdomain", 60},
      {"host.resolver.test", RecordType::kMx, "nodata", 60},
      {"www.outside.invalid", RecordType::kA, "temperror REFUSED", 0},
      {"wrongid.resolver.test", RecordType::kA, "ok 192.0.2.24", 300},
      {"wrongq.resolver.test", RecordType::kA, "ok 192.0.2.25", 300},
      {"servfail.resolver.test", RecordType::kA, "temperror SERVFAIL", 0},
      {"refused.resolver.test", RecordType::kA, "temperror REFUSED", 0},
      {"short.resolver.test", RecordType::kA, "temperror malformed answer", 0},
      {"comploop.resolver.test", RecordType::kA, "temperror malformed answer", 0},
      {"loop1.resolver.test", RecordType::kA, "temperror CNAME loop", 0},
  };
  for (const Case& c : cases) {
    AnswerPtr got = Get(*resolver, c.name, c.type);
    EXPECT_EQ(Summary(got), c.want) << c.name << " " << RecordTypeName(c.type);
    if (got) {
      EXPECT_EQ(got->ttl, c.want_ttl) << c.name << " " << RecordTypeName(c.type);
    }
  }
  // Failures went to the server once per try (1 server x 2 rounds); the
  // CNAME loop was one query, bounded.
  struct Count {
    std::string name;
    const char* type;
    int want;
  } counts[] = {
      {"servfail.resolver.test", "A", 2}, {"refused.resolver.test", "A", 2},
      {"short.resolver.test", "A", 2},    {"comploop.resolver.test", "A", 2},
      {"loop1.resolver.test", "A", 1},    {"wrongid.resolver.test", "A", 1},
      {"c1.resolver.test", "A", 1},
  };
  for (const Count& c : counts) {
    EXPECT_EQ(server_->CountQueries(c.name, c.type), c.want) << c.name;
  }
}

TEST_F(ResolverIntegration, TruncatedAnswersAreRetriedOverTcp) {
  prometheus::Registry registry;
  auto resolver = Make(Options({server_->address()}), &registry);
  ASSERT_NE(resolver, nullptr);
  AnswerPtr big = Get(*resolver, "big.resolver.test", RecordType::kTxt);
  ASSERT_NE(big, nullptr);
  ASSERT_EQ(big->status, Status::kOk) << Summary(big);
  ASSERT_EQ(big->texts.size(), 12u);
  EXPECT_EQ(big->texts[0], "record-00-" + std::string(180, 'x'));
  EXPECT_EQ(Summary(Get(*resolver, "truncate.resolver.test", RecordType::kA)), "ok 192.0.2.23");
  std::vector<std::string> log = server_->QueryLog();
  std::vector<std::string> want = {"udp big.resolver.test TXT", "tcp big.resolver.test TXT",
                                   "udp truncate.resolver.test A", "tcp truncate.resolver.test A"};
  EXPECT_EQ(log, want);
  EXPECT_EQ(MetricValue(registry, "portcullis_dns_tcp_fallbacks_total"), 2);
  EXPECT_EQ(MetricValue(registry, "portcullis_dns_queries_sent_total", "type", "TXT"), 2);
}

TEST_F(ResolverIntegration, DroppedQueryTimesOutAtTheCallerDeadline) {
  Collector collector;  // outlives the resolver
  ResolverOptions options = Options({server_->address()});
  options.attempts = 3;  // 100 + 200 + 400 ms: the deadline cuts it first
  auto resolver = Make(options);
  ASSERT_NE(resolver, nullptr);
  Clock::time_point start = Clock::now();
  resolver->Lookup("drop.resolver.test", RecordType::kA, Deadline(start + milliseconds(250)),
                   collector.Callback(0));
  ASSERT_TRUE(collector.WaitFor(1, milliseconds(2000)));
  Delivery got = collector.Take()[0];
  EXPECT_EQ(Summary(got.answer), "temperror timeout");
  auto at = std::chrono::duration_cast<milliseconds>(got.when - start).count();
  EXPECT_GE(at, 250);
  EXPECT_LT(at, 300);
  EXPECT_EQ(server_->CountQueries("drop.resolver.test", "A"), 2);  // at 0 and 100 ms
}

TEST_F(ResolverIntegration, SecondServerAnswersAfterTheFirstTimesOut) {
  auto dead = Start({Zone("resolver.zone")}, {"resolver.test=drop"});
  ASSERT_NE(dead, nullptr);
  auto resolver = Make(Options({dead->address(), server_->address()}));
  ASSERT_NE(resolver, nullptr);
  Clock::time_point start = Clock::now();
  AnswerPtr got = Get(*resolver, "host.resolver.test", RecordType::kA);
  auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
  EXPECT_EQ(Summary(got), "ok 192.0.2.1,192.0.2.2");
  EXPECT_GE(took, 100);  // the first server's attempt timeout
  EXPECT_LT(took, 200);
  EXPECT_EQ(dead->CountQueries("host.resolver.test", "A"), 1);
  EXPECT_EQ(server_->CountQueries("host.resolver.test", "A"), 1);
}

TEST_F(ResolverIntegration, CnameTargetOutsideTheServerIsRequeried) {
  // The first server has resolver.test only: it answers ext's CNAME and
  // refuses other.test; the second has other.test.
  auto other = Start({Zone("other.zone")}, {});
  ASSERT_NE(other, nullptr);
  auto resolver = Make(Options({server_->address(), other->address()}));
  ASSERT_NE(resolver, nullptr);
  AnswerPtr got = Get(*resolver, "ext.resolver.test", RecordType::kA);
  EXPECT_EQ(Summary(got), "ok 192.0.2.99");
  if (got) {  // min(CNAME 300, A 200)
    EXPECT_EQ(got->ttl, 200u);
  }
  EXPECT_EQ(server_->CountQueries("ext.resolver.test", "A"), 1);
  EXPECT_EQ(server_->CountQueries("www.other.test", "A"), 1);  // REFUSED
  EXPECT_EQ(other->CountQueries("www.other.test", "A"), 1);
  EXPECT_EQ(other->CountQueries("ext.resolver.test", "A"), 0);
}

TEST_F(ResolverIntegration, PositiveTtlExpiry) {
  auto resolver = Make();
  ASSERT_NE(resolver, nullptr);
  EXPECT_EQ(Summary(Get(*resolver, "ttl1.resolver.test", RecordType::kA)), "ok 192.0.2.11");
  // Within the TTL: from the cache, inline on this thread.
  AnswerPtr inline_answer;
  resolver->Lookup("ttl1.resolver.test.", RecordType::kA, Deadline::After(milliseconds(500)),
                   [&](const AnswerPtr& answer) { inline_answer = answer; });
  EXPECT_EQ(Summary(inline_answer), "ok 192.0.2.11");
  EXPECT_EQ(server_->CountQueries("ttl1.resolver.test", "A"), 1);
  std::this_thread::sleep_for(milliseconds(1100));
  EXPECT_EQ(Summary(Get(*resolver, "ttl1.resolver.test", RecordType::kA)), "ok 192.0.2.11");
  EXPECT_EQ(server_->CountQueries("ttl1.resolver.test", "A"), 2);
}

TEST_F(ResolverIntegration, NegativeAnswersAreCachedPerNameAndType) {
  prometheus::Registry registry;
  auto resolver = Make(Options({server_->address()}), &registry);
  ASSERT_NE(resolver, nullptr);
  // SOA MINIMUM 2 below the SOA TTL: negative TTL 2 (RFC 2308 5).
  AnswerPtr nx = Get(*resolver, "missing.neg.test", RecordType::kA);
  EXPECT_EQ(Summary(nx), "nxdomain");
  if (nx) {
    EXPECT_EQ(nx->ttl, 2u);
  }
  EXPECT_EQ(Summary(Get(*resolver, "ns.neg.test", RecordType::kMx)), "nodata");
  EXPECT_EQ(Summary(Get(*resolver, "ns.neg.test", RecordType::kA)), "ok 127.0.0.1");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Summary(Get(*resolver, "missing.neg.test", RecordType::kA)), "nxdomain");
    EXPECT_EQ(Summary(Get(*resolver, "ns.neg.test", RecordType::kMx)), "nodata");
  }
  EXPECT_EQ(server_->CountQueries("missing.neg.test", "A"), 1);
  EXPECT_EQ(server_->CountQueries("ns.neg.test", "MX"), 1);
  EXPECT_EQ(server_->CountQueries("ns.neg.test", "A"), 1);
  EXPECT_EQ(MetricValue(registry, "portcullis_dns_cache_hits_total"), 6);
  EXPECT_EQ(MetricValue(registry, "portcullis_dns_cache_misses_total"), 3);
  EXPECT_EQ(MetricValue(registry, "portcullis_dns_responses_total", "rcode", "NXDOMAIN"), 1);
  EXPECT_EQ(MetricValue(registry, "portcullis_dns_responses_total", "rcode", "NOERROR"), 2);
  EXPECT_EQ(MetricValue(registry, "portcullis_dns_query_duration_seconds"), 3);
  // Temporary errors are not cached.
  EXPECT_EQ(Summary(Get(*resolver, "servfail.resolver.test", RecordType::kA)),
            "temperror SERVFAIL");
  EXPECT_EQ(Summary(Get(*resolver, "servfail.resolver.test", RecordType::kA)),
            "temperror SERVFAIL");
  EXPECT_EQ(server_->CountQueries("servfail.resolver.test", "A"), 4);
}

TEST_F(ResolverIntegration, IdenticalLookupsInFlightAreMerged) {
  Collector collector;  // outlives the resolver
  prometheus::Registry registry;
  ResolverOptions options = Options({server_->address()});
  options.attempt_timeout = milliseconds(1000);  // above the 200 ms delay
  auto resolver = Make(options, &registry);
  ASSERT_NE(resolver, nullptr);
  constexpr int kLookups = 10;
  std::vector<std::thread> threads;
  for (int i = 0; i < kLookups; ++i) {
    threads.emplace_back([&, i] {
      resolver->Lookup("Slow.resolver.test", RecordType::kA, Deadline::After(milliseconds(2000)),
                       collector.Callback(i));
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(collector.WaitFor(kLookups, milliseconds(3000)));
  EXPECT_EQ(collector.CallsPerSlot(kLookups), std::vector<int>(kLookups, 1));
  for (const Delivery& d : collector.Take()) EXPECT_EQ(Summary(d.answer), "ok 192.0.2.28");
  EXPECT_EQ(server_->CountQueries("slow.resolver.test", "A"), 1);
  EXPECT_EQ(MetricValue(registry, "portcullis_dns_merged_lookups_total"), kLookups - 1);
  EXPECT_EQ(MetricValue(registry, "portcullis_dns_queries_sent_total", "type", "A"), 1);
}

TEST_F(ResolverIntegration, ShortDeadlineWaiterTimesOutWhileALongerOneGetsTheAnswer) {
  Collector collector;  // outlives the resolver
  ResolverOptions options = Options({server_->address()});
  options.attempt_timeout = milliseconds(1000);
  auto resolver = Make(options);
  ASSERT_NE(resolver, nullptr);
  Clock::time_point start = Clock::now();
  resolver->Lookup("slower.resolver.test", RecordType::kA, Deadline(start + milliseconds(100)),
                   collector.Callback(0));
  resolver->Lookup("slower.resolver.test", RecordType::kA, Deadline(start + milliseconds(2000)),
                   collector.Callback(1));
  ASSERT_TRUE(collector.WaitFor(2, milliseconds(3000)));
  std::vector<Delivery> got = collector.Take();
  EXPECT_EQ(Summary(got[0].answer), "temperror timeout");
  auto first = std::chrono::duration_cast<milliseconds>(got[0].when - start).count();
  EXPECT_GE(first, 100);
  EXPECT_LT(first, 150);
  EXPECT_EQ(Summary(got[1].answer), "ok 192.0.2.29");
  auto second = std::chrono::duration_cast<milliseconds>(got[1].when - start).count();
  EXPECT_GE(second, 300);
  EXPECT_LT(second, 600);
  EXPECT_EQ(server_->CountQueries("slower.resolver.test", "A"), 1);
}

TEST_F(ResolverIntegration, DestructorStopsOutstandingLookups) {
  Collector collector;
  constexpr int kLookups = 6;
  Clock::time_point start = Clock::now();
  {
    ResolverOptions options = Options({server_->address()});
    options.attempt_timeout = milliseconds(2000);
    auto resolver = Make(options);
    ASSERT_NE(resolver, nullptr);
    for (int i = 0; i < kLookups; ++i) {
      std::string name = i < 3 ? "drop.resolver.test" : "slower.resolver.test";
      resolver->Lookup(name, i % 2 ? RecordType::kA : RecordType::kTxt,
                       Deadline::After(milliseconds(5000)), collector.Callback(i));
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
  EXPECT_LT(took, 250);  // did not wait for the server
  EXPECT_EQ(collector.CallsPerSlot(kLookups), std::vector<int>(kLookups, 1));
  for (const Delivery& d : collector.Take()) {
    EXPECT_EQ(Summary(d.answer), "temperror resolver stopped");
  }
}

}  // namespace
}  // namespace portcullis::dns
