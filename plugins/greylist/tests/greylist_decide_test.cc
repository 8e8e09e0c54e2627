#include "greylist_decide.h"

#include <gtest/gtest.h>

#include "greylist_error_log.h"
#include "test_support.h"

namespace portcullis::greylist {
namespace {

using std::chrono::seconds;
using testing::FakeClock;
using testing::MemoryStore;

const Triplet kTriplet{"192.0.2.0/24", "alice@example.org", "bob@example.net"};

struct Fixture {
  FakeClock clock;
  MemoryStore store{[this] { return clock.now(); }};
  GreylistConfig config;
  StoreDecision Decide(const Triplet& triplet = kTriplet) {
    return DecideWithStore(store, config, triplet, clock.now());
  }
};

TEST(GreylistDecide, TimingEdges) {
  // Seconds after the first attempt at which the retry comes, and what it
  // gets with the default delay of 300 s.
  struct Case {
    int64_t retry_after;
    Decision want;
    int64_t want_retry_in;
  } cases[] = {
      {0, Decision::kEarly, 300},           {1, Decision::kEarly, 299},
      {299, Decision::kEarly, 1},           {300, Decision::kPassed, 0},  // exactly at the delay
      {301, Decision::kPassed, 0},          {86400, Decision::kPassed, 0},
      {2 * 86400, Decision::kPassed, 0},     // last second of the retry window
      {2 * 86400 + 1, Decision::kNew, 300},  // window over: forgotten, new again
  };
  for (const Case& c : cases) {
    Fixture f;
    StoreDecision first = f.Decide();
    EXPECT_EQ(first.decision, Decision::kNew);
    EXPECT_EQ(first.retry_in, seconds(300));
    f.clock.Advance(seconds(c.retry_after));
    StoreDecision retry = f.Decide();
    EXPECT_EQ(retry.decision, c.want)
        << "retry after " << c.retry_after << " s: got " << DecisionSymbol(retry.decision);
    EXPECT_EQ(retry.retry_in, seconds(c.want_retry_in)) << "retry after " << c.retry_after;
  }
}

TEST(GreylistDecide, EarlyRetriesDoNotResetFirstSeen) {
  Fixture f;
  f.Decide();
  for (int i = 0; i < 5; ++i) {
    f.clock.Advance(seconds(50));
    EXPECT_EQ(f.Decide().decision, Decision::kEarly) << i;
  }
  f.clock.Advance(seconds(50));  // 300 s after the first attempt
  EXPECT_EQ(f.Decide().decision, Decision::kPassed);
}

TEST(GreylistDecide, PassedTripletIsKnownUntilMaxAge) {
  Fixture f;
  f.Decide();
  f.clock.Advance(seconds(300));
  ASSERT_EQ(f.Decide().decision, Decision::kPassed);
  f.clock.Advance(seconds(34 * 86400));
  EXPECT_EQ(f.Decide().decision, Decision::kKnown);  // refreshes the TTL
  f.clock.Advance(seconds(35 * 86400 - 1));
  EXPECT_EQ(f.Decide().decision, Decision::kKnown);  // just inside the refreshed max_age
  f.clock.Advance(seconds(35 * 86400 + 1));          // unused for longer than max_age
  EXPECT_EQ(f.Decide().decision, Decision::kNew);
}

TEST(GreylistDecide, KnownRefreshesAtMostHourly) {
  Fixture f;
  f.Decide();
  f.clock.Advance(seconds(300));
  f.Decide();
  f.store.ResetCalls();
  struct Step {
    int64_t advance;
    int want_puts;  // cumulative
  } steps[] = {{1, 0}, {1800, 0}, {1799, 0}, {2, 1}, {60, 1}, {3600, 2}};
  for (const Step& step : steps) {
    f.clock.Advance(seconds(step.advance));
    EXPECT_EQ(f.Decide().decision, Decision::kKnown);
    EXPECT_EQ(f.store.calls().put, step.want_puts) << "after +" << step.advance;
  }
}

TEST(GreylistDecide, OneGetManyRoundTripPerLookup) {
  Fixture f;
  f.Decide();
  EXPECT_EQ(f.store.calls().get_many, 1);
  EXPECT_EQ(f.store.calls().get, 0);
  EXPECT_EQ(f.store.calls().put, 1);
  f.store.ResetCalls();
  f.clock.Advance(seconds(10));
  f.Decide();  // early: no writes
  EXPECT_EQ(f.store.calls().total(), 1);
}

TEST(GreylistDecide, AutoAllowlistAfterFivePasses) {
  struct Case {
    int64_t after;
    int passes;
    Decision want;
  } cases[] = {
      {5, 4, Decision::kNew},
      {5, 5, Decision::kAutoAllowlisted},  // the 5th pass allowlists the network
      {1, 1, Decision::kAutoAllowlisted},
      {0, 10, Decision::kNew},  // 0 disables
  };
  for (const Case& c : cases) {
    Fixture f;
    f.config.auto_allowlist_after = c.after;
    for (int i = 0; i < c.passes; ++i) {
      Triplet triplet = kTriplet;
      triplet.recipient = "rcpt" + std::to_string(i) + "@example.net";
      ASSERT_EQ(f.Decide(triplet).decision, Decision::kNew);
      f.clock.Advance(seconds(300));
      ASSERT_EQ(f.Decide(triplet).decision, Decision::kPassed);
    }
    // A new triplet from the same network (another host of the /24).
    Triplet fresh{"192.0.2.0/24", "carol@example.org", "dave@example.net"};
    EXPECT_EQ(f.Decide(fresh).decision, c.want) << "after=" << c.after << " passes=" << c.passes;
    if (c.after == 0) {
      EXPECT_EQ(f.store.Snapshot().count(CounterKey("192.0.2.0/24")), 0u);
    }
    // Another network is not affected.
    Triplet other{"198.51.100.0/24", "carol@example.org", "dave@example.net"};
    EXPECT_EQ(f.Decide(other).decision, Decision::kNew);
  }
}

TEST(GreylistDecide, ManualAllowEntry) {
  Fixture f;
  f.store.Seed(AllowKey("192.0.2.0/24"), EncodeAllow(1), f.clock.now() + seconds(3600));
  EXPECT_EQ(f.Decide().decision, Decision::kAllowlisted);
  EXPECT_EQ(f.store.calls().put, 0);  // nothing recorded for an allowlisted network
  f.clock.Advance(seconds(3601));     // the entry expired
  EXPECT_EQ(f.Decide().decision, Decision::kNew);
}

TEST(GreylistDecide, UnreadableValueCountsAsMissing) {
  Fixture f;
  f.store.Seed(TripletKey(kTriplet), "garbage", f.clock.now() + seconds(3600));
  EXPECT_EQ(f.Decide().decision, Decision::kNew);
  EXPECT_EQ(f.store.Snapshot().at(TripletKey(kTriplet)).value,
            "pending " + std::to_string(UnixSeconds(f.clock.now())));
}

TEST(GreylistDecide, StoreUnavailableIsAStoreError) {
  Fixture f;
  f.store.SetFailing(true);
  StoreDecision got = f.Decide();
  EXPECT_EQ(got.decision, Decision::kStoreError);
  EXPECT_FALSE(got.error.empty());
}

TEST(GreylistDecide, StoreTtlsFollowTheTimings) {
  Fixture f;
  f.Decide();
  const auto start = f.clock.now();
  EXPECT_EQ(f.store.Snapshot().at(TripletKey(kTriplet)).expires, start + seconds(2 * 86400));
  f.clock.Advance(seconds(300));
  f.Decide();
  auto entries = f.store.Snapshot();
  EXPECT_EQ(entries.at(TripletKey(kTriplet)).expires, f.clock.now() + seconds(35 * 86400));
  EXPECT_EQ(entries.at(TripletKey(kTriplet)).value, "passed " + std::to_string(UnixSeconds(start)) +
                                                        " " +
                                                        std::to_string(UnixSeconds(f.clock.now())));
  EXPECT_EQ(entries.at(CounterKey("192.0.2.0/24")).value, "1");
  EXPECT_EQ(entries.at(CounterKey("192.0.2.0/24")).expires, f.clock.now() + seconds(35 * 86400));
}

TEST(GreylistErrorLog, AtMostOneLinePerInterval) {
  RateLimitedLog log;
  const auto start = RateLimitedLog::Clock::time_point(std::chrono::hours(1000));
  struct Step {
    int64_t at;  // seconds after start
    bool want_log;
    uint64_t want_suppressed;  // when logged
  } steps[] = {{0, true, 0},  {1, false, 0},  {59, false, 0},
               {60, true, 2}, {61, false, 0}, {200, true, 1}};
  for (const Step& step : steps) {
    uint64_t suppressed = 99;
    const bool logged = log.ShouldLog(start + seconds(step.at), seconds(60), &suppressed);
    EXPECT_EQ(logged, step.want_log) << "at " << step.at;
    if (logged) {
      EXPECT_EQ(suppressed, step.want_suppressed) << "at " << step.at;
    }
  }
}

}  // namespace
}  // namespace portcullis::greylist
