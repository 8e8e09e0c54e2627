#include "proc_sampler.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace portcullis::bench {

double ReadCpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return -1;
  // The command name may contain spaces and parentheses: fields are counted
  // from the last ')'. utime and stime are fields 14 and 15.
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
    if (index == 15) {
      stime = std::strtoull(field.c_str(), nullptr, 10);
      return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
  }
  return -1;
}

int64_t ReadStatusKb(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  const size_t len = std::strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, len, field) == 0) return std::strtoll(line.c_str() + len, nullptr, 10);
  }
  return 0;
}

ProcSampler::~ProcSampler() {
  if (poller_.joinable()) Stop();
}

void ProcSampler::Start() {
  if (pid_ <= 0) return;
  start_cpu_ = ReadCpuSeconds(pid_);
  peak_rss_kb_ = ReadStatusKb(pid_, "VmRSS:");
  poller_ = std::thread([this] { Poll(); });
}

void ProcSampler::Poll() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stopping_; })) {
    const int64_t rss = ReadStatusKb(pid_, "VmRSS:");
    peak_rss_kb_ = std::max<int64_t>(peak_rss_kb_, rss);
  }
}

ProcUsage ProcSampler::Stop() {
  ProcUsage usage;
  if (pid_ <= 0 || !poller_.joinable()) return usage;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  poller_.join();
  const double end_cpu = ReadCpuSeconds(pid_);
  usage.valid = start_cpu_ >= 0 && end_cpu >= 0;
  usage.cpu_seconds = usage.valid ? end_cpu - start_cpu_ : 0;
  usage.vm_hwm_kb = ReadStatusKb(pid_, "VmHWM:");
  usage.peak_rss_kb = std::max<int64_t>(peak_rss_kb_, ReadStatusKb(pid_, "VmRSS:"));
  return usage;
}

}  // namespace portcullis::bench
