#include "greylist_decide.h"

#include <array>
#include <charconv>

namespace portcullis::greylist {
namespace {

// The entry's TTL is due for a refresh when less than max_age minus the
// refresh interval is left (it was last written over an hour ago).
bool DueForRefresh(const store::Entry& entry, const GreylistConfig& config,
                   store::Clock::time_point now) {
  return entry.expires < now + config.max_age - kRefreshInterval;
}

StoreDecision Failed(std::string error) {
  StoreDecision out;
  out.decision = Decision::kStoreError;
  out.error = error.empty() ? "store unavailable" : std::move(error);
  return out;
}

}  // namespace

int64_t UnixSeconds(store::Clock::time_point when) {
  return std::chrono::duration_cast<Seconds>(when.time_since_epoch()).count();
}

StoreDecision DecideWithStore(store::Store& store, const GreylistConfig& config,
                              const Triplet& triplet, store::Clock::time_point now) {
  const std::array<std::string, 3> keys = {CounterKey(triplet.network), AllowKey(triplet.network),
                                           TripletKey(triplet)};
  std::vector<store::GetResult> got = store.GetMany(keys, Deadline::After(config.store_timeout));
  if (got.size() != keys.size())
    return Failed("store answered " + std::to_string(got.size()) + " of 3 keys");
  for (const store::GetResult& result : got) {
    if (result.status == store::Status::kUnavailable) return Failed(result.error);
  }
  const store::GetResult& counter = got[0];
  const store::GetResult& manual = got[1];
  const store::GetResult& stored = got[2];

  StoreDecision out;
  if (manual.status == store::Status::kOk) {
    out.decision = Decision::kAllowlisted;
    return out;
  }
  if (config.auto_allowlist_after > 0 && counter.status == store::Status::kOk) {
    // Not a number counts as 0, as store.h says Increment treats it.
    int64_t passes = 0;
    const std::string& text = counter.entry.value;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), passes);
    if (error != std::errc() || end != text.data() + text.size()) passes = 0;
    if (passes >= config.auto_allowlist_after) {
      out.decision = Decision::kAutoAllowlisted;
      if (DueForRefresh(counter.entry, config, now)) {
        // Adding 0 only pushes the expiry back: a network that keeps
        // sending stays allowlisted.
        store::IncrementResult refresh =
            store.Increment(keys[0], 0, config.max_age, Deadline::After(config.store_timeout));
        if (refresh.status != store::Status::kOk) {
          out.write_failed = true;
          out.error = refresh.error;
        }
      }
      return out;
    }
  }

  const int64_t now_s = UnixSeconds(now);
  std::optional<TripletValue> value;
  if (stored.status == store::Status::kOk) value = DecodeTriplet(stored.entry.value);
  // A pending entry past the retry window is forgotten even if the store's
  // expiry sweep has not removed it yet.
  if (value && !value->passed && now_s - value->first_seen > config.retry_window.count()) {
    value.reset();
  }

  if (!value) {
    store::WriteResult put = store.Put(keys[2], EncodeTriplet({false, now_s, 0}),
                                       config.retry_window, Deadline::After(config.store_timeout));
    if (put.status != store::Status::kOk) return Failed(put.error);
    out.decision = Decision::kNew;
    out.retry_in = config.delay;
    return out;
  }

  if (value->passed) {
    out.decision = Decision::kKnown;
    if (DueForRefresh(stored.entry, config, now)) {
      store::WriteResult put = store.Put(keys[2], stored.entry.value, config.max_age,
                                         Deadline::After(config.store_timeout));
      if (put.status != store::Status::kOk) {
        out.write_failed = true;
        out.error = put.error;
      }
    }
    return out;
  }

  const int64_t ready_at = value->first_seen + config.delay.count();
  if (now_s < ready_at) {
    out.decision = Decision::kEarly;
    out.retry_in = Seconds(ready_at - now_s);
    return out;
  }

  out.decision = Decision::kPassed;
  store::WriteResult put = store.Put(keys[2], EncodeTriplet({true, value->first_seen, now_s}),
                                     config.max_age, Deadline::After(config.store_timeout));
  if (put.status != store::Status::kOk) {
    out.write_failed = true;
    out.error = put.error;
  }
  if (config.auto_allowlist_after > 0) {
    store::IncrementResult counted =
        store.Increment(keys[0], 1, config.max_age, Deadline::After(config.store_timeout));
    if (counted.status != store::Status::kOk) {
      out.write_failed = true;
      out.error = counted.error;
    }
  }
  return out;
}

}  // namespace portcullis::greylist
