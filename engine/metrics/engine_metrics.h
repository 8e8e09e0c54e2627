// The engine's metric catalogue: every metric the engine itself exports is
// declared here, named portcullis_<component>_<what>_<unit>, with bounded
// labels only (check, status, verdict, limit, result) — never an address or
// a domain. Checks add their own families through CheckContext::metrics.
//
// One process-wide instance, created on first use; all methods are
// thread-safe (prometheus-cpp metrics are atomic, family lookups locked).
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "portcullis/check_result.h"

namespace portcullis {

class EngineMetrics {
 public:
  static EngineMetrics& Get();

  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<prometheus::Registry> shared_registry() { return registry_; }

  // One check's series, looked up once when a Snapshot is built: a label
  // lookup takes the family's lock and builds a label map, too much to do
  // for every check of every message.
  struct CheckSeries {
    prometheus::Histogram* seconds = nullptr;
    std::array<prometheus::Counter*, static_cast<size_t>(CheckStatus::kPermerror) + 1> results{};
    void Count(CheckStatus status) const { results[static_cast<size_t>(status)]->Increment(); }
  };
  // Creates the check's series (every status at zero) if need be.
  CheckSeries SeriesForCheck(const std::string& check);

  void CountMessage(Action verdict);
  void ObserveTransactionSeconds(double seconds);
  void ObserveEndOfMessageSeconds(double seconds);
  void CountRecipient(std::string_view result);
  void CountLuaError(std::string_view reason);
  void CountLimitHit(std::string_view limit);
  void CountReload(bool success);
  void ConnectionOpened();
  void ConnectionClosed();

 private:
  EngineMetrics();

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* messages_;
  // By Action; kNone has no series of its own until it is first counted.
  std::array<prometheus::Counter*, static_cast<size_t>(Action::kDiscard) + 1> messages_by_action_{};
  prometheus::Family<prometheus::Counter>* check_results_;
  prometheus::Family<prometheus::Histogram>* check_seconds_;
  prometheus::Histogram* transaction_seconds_;
  prometheus::Histogram* end_of_message_seconds_;
  prometheus::Family<prometheus::Counter>* recipients_;
  prometheus::Counter* recipients_accept_;
  prometheus::Counter* recipients_reject_;
  prometheus::Counter* recipients_tempfail_;
  prometheus::Family<prometheus::Counter>* lua_errors_;
  prometheus::Family<prometheus::Counter>* limit_hits_;
  prometheus::Family<prometheus::Counter>* reloads_;
  prometheus::Gauge* last_reload_success_time_;
  prometheus::Gauge* last_reload_ok_;
  prometheus::Gauge* connections_active_;
  prometheus::Counter* connections_total_;
};

// Serves the registry over HTTP on `address` ("127.0.0.1:9465"). Returns an
// error text, empty on success. Idempotent per process: a second call with a
// different address is refused (the exposer cannot move without a restart).
std::string StartMetricsExposer(const std::string& address);

}  // namespace portcullis
