// The greylisting state machine on the store (RFC 6647, postgrey's
// timings): one GetMany round trip for the client network's pass counter,
// its manual allowlist entry and the triplet, then at most two writes.
//
//   no triplet            -> record first-seen (TTL retry_window), kNew
//   pending, too early    -> kEarly (first-seen kept: retrying sooner does
//                            not restart the clock, nor should it)
//   pending, delay over   -> mark passed (TTL max_age), count the network,
//                            kPassed
//   passed                -> kKnown, TTL refreshed at most hourly
//   network counter >= auto_allowlist_after -> kAutoAllowlisted
//   manual entry          -> kAllowlisted
//
// A store that fails (kUnavailable, or a missing reply) gives kStoreError:
// the caller accepts (fails open). Every call is bounded by store_timeout.
//
// Stateless functions; thread-safe as far as the Store is (store.h: all
// methods are).
#pragma once

#include <string>

#include "greylist_config.h"
#include "greylist_decision.h"
#include "greylist_keys.h"
#include "portcullis/store.h"

namespace portcullis::greylist {

struct StoreDecision {
  Decision decision = Decision::kStoreError;
  Seconds retry_in{0};        // kNew, kEarly: seconds until a retry can pass
  bool write_failed = false;  // a pass was accepted but not (fully) recorded
  std::string error;          // the store's reason, for the log
};

StoreDecision DecideWithStore(store::Store& store, const GreylistConfig& config,
                              const Triplet& triplet, store::Clock::time_point now);

// Unix seconds of a wall-clock time point.
int64_t UnixSeconds(store::Clock::time_point when);

}  // namespace portcullis::greylist
