#include "metrics/engine_metrics.h"

#include <chrono>
#include <mutex>

#include <prometheus/exposer.h>

namespace portcullis {
namespace {

// Latencies run from tens of microseconds (no DNS) to the end-of-message
// wait limit of seconds; these buckets cover both ends.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025,   0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return buckets;
}

}  // namespace

EngineMetrics& EngineMetrics::Get() {
  static EngineMetrics* metrics = new EngineMetrics();  // never destroyed: used at exit
  return *metrics;
}

EngineMetrics::EngineMetrics() : registry_(std::make_shared<prometheus::Registry>()) {
  using namespace prometheus;
  auto& r = *registry_;
  messages_ = &BuildCounter()
                   .Name("portcullis_messages_total")
                   .Help("Messages by final verdict")
                   .Register(r);
  for (Action action :
       {Action::kAccept, Action::kReject, Action::kTempfail, Action::kQuarantine, Action::kDiscard}) {
    messages_by_action_[static_cast<size_t>(action)] =
        &messages_->Add({{"verdict", std::string(ActionName(action))}});
  }
  check_results_ = &BuildCounter()
                        .Name("portcullis_check_results_total")
                        .Help("Check results by check and status")
                        .Register(r);
  check_seconds_ = &BuildHistogram()
                        .Name("portcullis_check_duration_seconds")
                        .Help("Time spent in one check for one message")
                        .Register(r);
  transaction_seconds_ = &BuildHistogram()
                              .Name("portcullis_transaction_duration_seconds")
                              .Help("Time Portcullis spent working on one message, all stages")
                              .Register(r)
                              .Add({}, LatencyBuckets());
  end_of_message_seconds_ = &BuildHistogram()
                                 .Name("portcullis_end_of_message_duration_seconds")
                                 .Help("Time from end of message to the verdict")
                                 .Register(r)
                                 .Add({}, LatencyBuckets());
  recipients_ = &BuildCounter()
                     .Name("portcullis_recipients_total")
                     .Help("Recipients by outcome at RCPT TO")
                     .Register(r);
  recipients_accept_ = &recipients_->Add({{"result", "accept"}});
  recipients_reject_ = &recipients_->Add({{"result", "reject"}});
  recipients_tempfail_ = &recipients_->Add({{"result", "tempfail"}});
  lua_errors_ = &BuildCounter()
                     .Name("portcullis_lua_errors_total")
                     .Help("Policy calls that fell back to the fallback verdict, by reason")
                     .Register(r);
  // Label values known in advance are created at zero, so that rate() and
  // increase() see the first event (a series that appears at 1 has no rise).
  for (const char* reason :
       {"error", "instruction_limit", "memory_limit", "bad_return", "pool_exhausted"}) {
    lua_errors_->Add({{"reason", reason}});
  }
  limit_hits_ = &BuildCounter()
                     .Name("portcullis_input_limit_hits_total")
                     .Help("Messages or sessions that hit an input limit, by limit")
                     .Register(r);
  for (const char* limit : {"header_count", "header_bytes", "body_scan_bytes", "recipients"}) {
    limit_hits_->Add({{"limit", limit}});
  }
  reloads_ = &BuildCounter()
                  .Name("portcullis_config_reloads_total")
                  .Help("Config reloads by result")
                  .Register(r);
  reloads_->Add({{"result", "success"}});
  reloads_->Add({{"result", "failure"}});
  last_reload_success_time_ = &BuildGauge()
                                   .Name("portcullis_config_last_reload_success_timestamp_seconds")
                                   .Help("Unix time of the last successful config load")
                                   .Register(r)
                                   .Add({});
  last_reload_ok_ = &BuildGauge()
                         .Name("portcullis_config_last_reload_successful")
                         .Help("1 if the last config reload succeeded, 0 if it failed")
                         .Register(r)
                         .Add({});
  last_reload_ok_->Set(1);
  connections_active_ = &BuildGauge()
                             .Name("portcullis_connections_active")
                             .Help("MTA connections currently open")
                             .Register(r)
                             .Add({});
  connections_total_ = &BuildCounter()
                            .Name("portcullis_connections_total")
                            .Help("MTA connections accepted")
                            .Register(r)
                            .Add({});
  BuildGauge()
      .Name("portcullis_build_info")
      .Help("Build information; the value is always 1")
      .Register(r)
      .Add({{"version", PORTCULLIS_VERSION}})
      .Set(1);
}

void EngineMetrics::CountMessage(Action verdict) {
  if (prometheus::Counter* counter = messages_by_action_[static_cast<size_t>(verdict)]) {
    counter->Increment();
    return;
  }
  messages_->Add({{"verdict", std::string(ActionName(verdict))}}).Increment();
}

EngineMetrics::CheckSeries EngineMetrics::SeriesForCheck(const std::string& check) {
  CheckSeries series;
  series.seconds = &check_seconds_->Add({{"check", check}}, LatencyBuckets());
  for (size_t i = 0; i < series.results.size(); ++i) {
    const std::string status(CheckStatusName(static_cast<CheckStatus>(i)));
    series.results[i] = &check_results_->Add({{"check", check}, {"status", status}});
  }
  return series;
}

void EngineMetrics::ObserveTransactionSeconds(double seconds) {
  transaction_seconds_->Observe(seconds);
}
void EngineMetrics::ObserveEndOfMessageSeconds(double seconds) {
  end_of_message_seconds_->Observe(seconds);
}
void EngineMetrics::CountRecipient(std::string_view result) {
  if (result == "accept") {
    recipients_accept_->Increment();
  } else if (result == "reject") {
    recipients_reject_->Increment();
  } else if (result == "tempfail") {
    recipients_tempfail_->Increment();
  } else {
    recipients_->Add({{"result", std::string(result)}}).Increment();
  }
}
void EngineMetrics::CountLuaError(std::string_view reason) {
  lua_errors_->Add({{"reason", std::string(reason)}}).Increment();
}
void EngineMetrics::CountLimitHit(std::string_view limit) {
  limit_hits_->Add({{"limit", std::string(limit)}}).Increment();
}
void EngineMetrics::CountReload(bool success) {
  reloads_->Add({{"result", success ? "success" : "failure"}}).Increment();
  last_reload_ok_->Set(success ? 1 : 0);
  if (success) {
    last_reload_success_time_->Set(static_cast<double>(
        std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::system_clock::now().time_since_epoch())
            .count()));
  }
}
void EngineMetrics::ConnectionOpened() {
  connections_active_->Increment();
  connections_total_->Increment();
}
void EngineMetrics::ConnectionClosed() { connections_active_->Decrement(); }

std::string StartMetricsExposer(const std::string& address) {
  static std::mutex mutex;
  static std::unique_ptr<prometheus::Exposer> exposer;
  static std::string bound_address;
  std::lock_guard<std::mutex> lock(mutex);
  if (exposer) {
    return bound_address == address ? "" : "metrics address change needs a restart";
  }
  try {
    // civetweb throws when it cannot bind; that is a config error, not a crash.
    exposer = std::make_unique<prometheus::Exposer>(address, 2);
    exposer->RegisterCollectable(EngineMetrics::Get().shared_registry());
    bound_address = address;
  } catch (const std::exception& e) {
    return std::string("cannot serve metrics on ") + address + ": " + e.what();
  }
  return "";
}

}  // namespace portcullis
