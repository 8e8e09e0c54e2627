// ProcSampler: CPU time and memory of one daemon process during a run.
//
// CPU is utime+stime from /proc/PID/stat (all threads) read at Start() and
// Stop(); memory is the peak of VmRSS polled every 100 ms on a background
// thread, plus VmHWM (the kernel's own high-water mark, which covers the
// process's whole life, warm-up included) read at Stop(). Start/Stop from one
// thread; the polling thread is internal.
#ifndef PORTCULLIS_BENCH_LOADGEN_PROC_SAMPLER_H_
#define PORTCULLIS_BENCH_LOADGEN_PROC_SAMPLER_H_

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace portcullis::bench {

struct ProcUsage {
  bool valid = false;
  double cpu_seconds = 0;        // utime+stime consumed between Start and Stop.
  int64_t peak_rss_kb = 0;       // Max VmRSS seen while polling.
  int64_t vm_hwm_kb = 0;         // VmHWM at Stop.
};

class ProcSampler {
 public:
  explicit ProcSampler(pid_t pid) : pid_(pid) {}
  ~ProcSampler();

  void Start();
  ProcUsage Stop();

 private:
  void Poll();

  pid_t pid_;
  double start_cpu_ = -1;
  std::atomic<int64_t> peak_rss_kb_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread poller_;
};

// Exposed for tests and the report: -1 / 0 when unreadable.
double ReadCpuSeconds(pid_t pid);
int64_t ReadStatusKb(pid_t pid, const char* field);  // e.g. "VmHWM:".

}  // namespace portcullis::bench

#endif  // PORTCULLIS_BENCH_LOADGEN_PROC_SAMPLER_H_
