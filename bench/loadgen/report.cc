#include "report.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace portcullis::bench {
namespace {

std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

std::string Number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", value);
  return buf;
}

std::string Hex(uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%06x", value);
  return buf;
}

double Rate(const RunResult& run) {
  return run.elapsed_seconds > 0 ? static_cast<double>(run.messages_ok) / run.elapsed_seconds : 0;
}

}  // namespace

double PercentileMs(const std::vector<int64_t>& sorted_ns, double percent) {
  if (sorted_ns.empty()) return 0;
  const double rank = std::ceil(percent / 100.0 * static_cast<double>(sorted_ns.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return static_cast<double>(sorted_ns[std::min(index, sorted_ns.size() - 1)]) / 1e6;
}

std::string ReportJson(const LoadgenOptions& o, const Corpus& corpus, const RunResult& run) {
  std::ostringstream j;
  j << "{\"label\":" << Quote(o.label) << ",\"socket\":" << Quote(o.socket)
    << ",\"connections\":" << o.connections << ",\"per_connection\":" << o.per_connection
    << ",\"count_limit\":" << o.count << ",\"seconds_limit\":" << Number(o.max_seconds)
    << ",\"client_nodelay\":" << (o.client_nagle ? "false" : "true")
    << ",\"corpus_files\":" << corpus.size() << ",\"corpus_bytes\":" << corpus.total_bytes()
    << ",\"messages\":" << run.messages_ok << ",\"errors\":" << run.messages_failed
    << ",\"milter_connections\":" << run.connections
    << ",\"elapsed_s\":" << Number(run.elapsed_seconds)
    << ",\"hit_time_limit\":" << (run.hit_time_limit ? "true" : "false")
    << ",\"msgs_per_s\":" << Number(Rate(run))
    << ",\"p50_ms\":" << Number(PercentileMs(run.eom_latency_ns, 50))
    << ",\"p90_ms\":" << Number(PercentileMs(run.eom_latency_ns, 90))
    << ",\"p99_ms\":" << Number(PercentileMs(run.eom_latency_ns, 99))
    << ",\"max_ms\":" << Number(PercentileMs(run.eom_latency_ns, 100))
    << ",\"negotiated_protocol\":" << Quote(Hex(run.negotiated_protocol))
    << ",\"negotiated_actions\":" << Quote(Hex(run.negotiated_actions)) << ",\"verdicts\":{";
  const char* sep = "";
  for (const auto& [key, n] : run.verdicts) {
    j << sep << Quote(key) << ":" << n;
    sep = ",";
  }
  j << "},\"error_kinds\":{";
  sep = "";
  for (const auto& [key, n] : run.error_kinds) {
    j << sep << Quote(key) << ":" << n;
    sep = ",";
  }
  j << "},\"error_samples\":[";
  sep = "";
  for (const std::string& sample : run.error_samples) {
    j << sep << Quote(sample);
    sep = ",";
  }
  j << "]";
  if (o.pid > 0) {
    const double per_msg_us =
        run.messages_ok > 0 ? run.daemon.cpu_seconds * 1e6 / static_cast<double>(run.messages_ok) : 0;
    j << ",\"daemon_pid\":" << o.pid << ",\"daemon_sampled\":" << (run.daemon.valid ? "true" : "false")
      << ",\"daemon_cpu_s\":" << Number(run.daemon.cpu_seconds)
      << ",\"daemon_cpu_cores\":"
      << Number(run.elapsed_seconds > 0 ? run.daemon.cpu_seconds / run.elapsed_seconds : 0)
      << ",\"daemon_cpu_us_per_msg\":" << Number(per_msg_us)
      << ",\"daemon_peak_rss_kb\":" << run.daemon.peak_rss_kb
      << ",\"daemon_vm_hwm_kb\":" << run.daemon.vm_hwm_kb;
  }
  j << "}";
  return j.str();
}

std::string ReportText(const LoadgenOptions& o, const Corpus& corpus, const RunResult& run) {
  std::ostringstream t;
  char line[256];
  std::snprintf(line, sizeof line, "%s %s: %lld msgs in %.2f s = %.1f msgs/s (%d conns, %d/conn, %s)\n",
                o.label.empty() ? "loadgen" : o.label.c_str(), o.socket.c_str(),
                static_cast<long long>(run.messages_ok), run.elapsed_seconds, Rate(run),
                o.connections, o.per_connection, o.client_nagle ? "client Nagle on" : "client nodelay");
  t << line;
  std::snprintf(line, sizeof line, "  eom latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n",
                PercentileMs(run.eom_latency_ns, 50), PercentileMs(run.eom_latency_ns, 90),
                PercentileMs(run.eom_latency_ns, 99), PercentileMs(run.eom_latency_ns, 100));
  t << line;
  t << "  corpus: " << corpus.size() << " files, " << corpus.total_bytes() / 1024 << " KiB;"
    << " negotiated protocol " << Hex(run.negotiated_protocol) << " actions "
    << Hex(run.negotiated_actions) << (run.hit_time_limit ? "; stopped by --max-seconds" : "")
    << "\n  verdicts:";
  for (const auto& [key, n] : run.verdicts) t << " " << key << "=" << n;
  t << "\n  errors: " << run.messages_failed << "\n";
  for (const std::string& sample : run.error_samples) t << "    " << sample << "\n";
  if (o.pid > 0) {
    std::snprintf(line, sizeof line,
                  "  daemon pid %d: cpu %.2f s (%.2f cores, %.1f us/msg), peak rss %lld KiB, VmHWM %lld KiB\n",
                  static_cast<int>(o.pid), run.daemon.cpu_seconds,
                  run.elapsed_seconds > 0 ? run.daemon.cpu_seconds / run.elapsed_seconds : 0,
                  run.messages_ok > 0 ? run.daemon.cpu_seconds * 1e6 / static_cast<double>(run.messages_ok) : 0,
                  static_cast<long long>(run.daemon.peak_rss_kb),
                  static_cast<long long>(run.daemon.vm_hwm_kb));
    t << line;
  }
  return t.str();
}

}  // namespace portcullis::bench
