// Aggregate-report data on disk (RFC 7489 7.2): one file per UTC day,
// <state_dir>/dmarc/YYYY-MM-DD.jsonl, one JSON line per message the dmarc
// check evaluated with a policy record (dmarc_report_json.h), read back by
// `portcullis dmarc-report`. A stand-in until the project's key-value state
// store exists; the operator rotates or deletes old files.
//
// ReportStore is created with the check (one per config Snapshot) and shared
// by every milter thread: Append is thread-safe. Each record is one write()
// on a descriptor opened with O_APPEND, under a mutex:
//  * the mutex keeps this process's lines whole and the size bound exact;
//  * O_APPEND makes each write land at the end of the file as it is then
//    (POSIX write(2): the offset update and the write are one atomic step),
//    so another process appending to the same file (a second daemon during a
//    reload, two Snapshots side by side) cannot overwrite a line either. On
//    Linux local file systems a regular-file write is not interleaved with
//    another write; PIPE_BUF is a pipe rule and does not apply here, and our
//    lines are small anyway (kMaxReportedSignatures).
// The file is opened per record so that a rotated or deleted file is
// recreated rather than written through a stale descriptor.
//
// Recording never fails a message: every error is counted and logged at most
// once a minute.
#pragma once

#include <atomic>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <string>
#include <vector>

#include "dmarc_discovery.h"
#include "dmarc_evaluate.h"
#include "dmarc_report_json.h"
#include "portcullis/transaction_info.h"

namespace portcullis::dmarc {

// "YYYY-MM-DD" of `when` in UTC.
std::string UtcDay(std::time_t when);
// The UTC epoch second a "YYYY-MM-DD" day begins at, or -1 when `day` is
// not a valid date in that exact form.
int64_t UtcDayBegin(const std::string& day);

// <state_dir>/dmarc and the day's file in it.
std::string ReportDirectory(const std::string& state_dir);
std::string ReportFile(const std::string& state_dir, const std::string& day);

// The row for one evaluated message: the client address, the envelope and
// the SPF/DKIM results the earlier checks left in info.finished, and the
// policy and verdict. `honour_policy` false means the gateway did not act on
// the policy, so the disposition recorded is "none" (Appendix C: the policy
// actually applied).
ReportRecord MakeReportRecord(const TransactionInfo& info, const Discovery& discovery,
                              const Verdict& verdict, bool honour_policy, std::time_t now);

class ReportStore {
 public:
  ReportStore(std::string state_dir, uint64_t max_bytes_per_day);

  // Appends `record` to the file of record.date. Returns false (after
  // counting and maybe logging) when it was not written.
  bool Append(const ReportRecord& record);

  uint64_t recorded() const { return recorded_.load(); }
  uint64_t over_limit() const { return over_limit_.load(); }  // dropped: day file full
  uint64_t errors() const { return errors_.load(); }

 private:
  void LogError(const std::string& message);  // holds mutex_

  const std::string state_dir_;
  const uint64_t max_bytes_per_day_;
  std::mutex mutex_;
  std::string limit_logged_day_;    // the day the size bound was last logged
  std::time_t last_error_log_ = 0;  // rate limit for LogError
  uint64_t suppressed_errors_ = 0;
  std::atomic<uint64_t> recorded_{0};
  std::atomic<uint64_t> over_limit_{0};
  std::atomic<uint64_t> errors_{0};
};

struct DayRecords {
  std::vector<ReportRecord> records;
  size_t malformed_lines = 0;  // skipped (a torn last line after a crash)
  std::string error;           // non-empty: the state directory is unreadable
};

// Every record of `day` (a missing day file is simply no records). An
// unreadable state_dir, or an existing but unreadable file, is an error.
DayRecords ReadDayRecords(const std::string& state_dir, const std::string& day);

}  // namespace portcullis::dmarc
