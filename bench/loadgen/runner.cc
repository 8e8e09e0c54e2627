#include "runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "client.h"

namespace portcullis::bench {
namespace {

using Clock = std::chrono::steady_clock;
namespace mc = milterclient;

struct WorkerResult {
  int64_t ok = 0;
  int64_t failed = 0;
  int64_t connections = 0;
  std::vector<int64_t> latencies;
  std::map<std::string, int64_t> verdicts;
  std::map<std::string, int64_t> error_kinds;
  std::vector<std::string> error_samples;
  uint32_t protocol = 0;
  uint32_t actions = 0;
};

struct Shared {
  const LoadgenOptions& options;
  const Corpus& corpus;
  Clock::time_point deadline;
  std::atomic<int64_t> next_message{0};
  std::atomic<bool> out_of_time{false};
};

mc::Client::Options ClientOptions(const LoadgenOptions& options) {
  mc::Client::Options client;
  client.timeout = std::chrono::milliseconds(options.timeout_ms);
  client.tcp_nodelay = !options.client_nagle;
  return client;
}

// Claims the next message index, or returns -1 when count or time is up.
int64_t Claim(Shared& shared) {
  if (Clock::now() >= shared.deadline) {
    shared.out_of_time = true;
    return -1;
  }
  const int64_t index = shared.next_message.fetch_add(1);
  return index < shared.options.count ? index : -1;
}

std::string VerdictKey(const mc::MessageResult& result) {
  std::string key = mc::VerdictName(result.final.verdict);
  if (!result.reached_eom) key += std::string("@") + mc::StageName(result.final_stage);
  return key;
}

void RecordError(WorkerResult& out, const std::string& what) {
  // Group by the text up to the first digit so "timed out after 10000 ms
  // waiting for X" from many threads lands in one bucket.
  const size_t cut = what.find_first_of("0123456789");
  ++out.error_kinds[what.substr(0, std::min<size_t>(cut, 80))];
  if (out.error_samples.size() < 5) out.error_samples.push_back(what);
}

void Worker(Shared& shared, int worker_id, WorkerResult& out) {
  const LoadgenOptions& options = shared.options;
  mc::Envelope envelope;
  envelope.client_ip = "192.0.2." + std::to_string(1 + worker_id % 250);
  envelope.client_port = static_cast<uint16_t>(20000 + worker_id);
  envelope.connect_macros = {{"j", "mx.portcullis.test"}, {"{daemon_name}", "loadgen"}};
  envelope.mail_macros = {{"{mail_addr}", "sender@example.org"}};
  envelope.rcpt_macros = {{"{rcpt_addr}", "rcpt@example.net"}};
  const uint32_t offer = options.offer_protocol ? options.offer_protocol : mc::kOfferAllProtocol;

  int64_t index = Claim(shared);
  while (index >= 0) {
    try {
      mc::Client client = mc::Client::Connect(options.socket, ClientOptions(options));
      ++out.connections;
      const mc::Negotiated& negotiated = client.Negotiate(mc::kOfferAllActions, offer);
      out.protocol = negotiated.protocol;
      out.actions = negotiated.actions;
      const mc::MessageResult session = client.SendSessionStart(envelope);
      if (!session.final.proceeds()) {  // The filter refused the connection.
        ++out.ok;
        ++out.verdicts[VerdictKey(session)];
        index = -1;
      }
      // Like Postfix: several transactions may share one SMTP session, and
      // so one milter connection.
      for (int sent = 0; index >= 0;) {
        envelope.eom_macros = {{"i", "Q" + std::to_string(index)}};
        const mc::MessageResult result = client.SendTransaction(
            envelope, shared.corpus.at(static_cast<size_t>(index)), options.body_chunk);
        ++out.ok;
        ++out.verdicts[VerdictKey(result)];
        if (result.reached_eom) out.latencies.push_back(result.eom_latency.count());
        index = ++sent < options.per_connection ? Claim(shared) : -1;
      }
      client.SendQuit();
    } catch (const mc::MilterError& e) {
      ++out.failed;  // The claimed message is lost, not retried.
      RecordError(out, e.what());
    }
    index = Claim(shared);
  }
}

}  // namespace

std::string WaitUntilReady(const LoadgenOptions& options, double seconds) {
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  std::string last_error = "not tried";
  do {
    try {
      mc::Client client = mc::Client::Connect(options.socket, ClientOptions(options));
      client.Negotiate();
      client.SendQuit();
      return "";
    } catch (const mc::MilterError& e) {
      last_error = e.what();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (Clock::now() < deadline);
  return last_error;
}

RunResult RunLoad(const LoadgenOptions& options, const Corpus& corpus) {
  const auto start = Clock::now();
  Shared shared{options, corpus,
                start + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(options.max_seconds))};
  ProcSampler sampler(options.pid);
  sampler.Start();

  std::vector<WorkerResult> results(static_cast<size_t>(options.connections));
  std::vector<std::thread> threads;
  threads.reserve(results.size());
  for (int i = 0; i < options.connections; ++i) {
    results[static_cast<size_t>(i)].latencies.reserve(
        static_cast<size_t>(options.count / options.connections + 16));
    threads.emplace_back([&shared, &results, i] { Worker(shared, i, results[static_cast<size_t>(i)]); });
  }
  for (std::thread& thread : threads) thread.join();

  RunResult run;
  run.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  run.daemon = sampler.Stop();
  run.hit_time_limit = shared.out_of_time;
  for (WorkerResult& r : results) {
    run.messages_ok += r.ok;
    run.messages_failed += r.failed;
    run.connections += r.connections;
    run.eom_latency_ns.insert(run.eom_latency_ns.end(), r.latencies.begin(), r.latencies.end());
    for (const auto& [key, n] : r.verdicts) run.verdicts[key] += n;
    for (const auto& [key, n] : r.error_kinds) run.error_kinds[key] += n;
    for (const std::string& sample : r.error_samples) {
      if (run.error_samples.size() < 5) run.error_samples.push_back(sample);
    }
    if (run.negotiated_protocol == 0) {
      run.negotiated_protocol = r.protocol;
      run.negotiated_actions = r.actions;
    }
  }
  std::sort(run.eom_latency_ns.begin(), run.eom_latency_ns.end());
  return run;
}

}  // namespace portcullis::bench
