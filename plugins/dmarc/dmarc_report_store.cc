#include "dmarc_report_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "portcullis/log.h"

namespace portcullis::dmarc {
namespace {

// Errors are logged at most this often; the rest are only counted.
constexpr std::time_t kErrorLogIntervalSeconds = 60;
// A line longer than this is not one of ours (ours stay under ~4 KiB with
// kMaxReportedSignatures); reading stops such a line from costing memory.
constexpr size_t kMaxLineBytes = 64 * 1024;

std::string ErrnoText(int error) { return std::strerror(error); }

bool IsDigits(const std::string& text, size_t pos, size_t count) {
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

}  // namespace

std::string UtcDay(std::time_t when) {
  std::tm tm{};
  gmtime_r(&when, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
  return buffer;
}

int64_t UtcDayBegin(const std::string& day) {
  if (day.size() != 10 || day[4] != '-' || day[7] != '-' || !IsDigits(day, 0, 4) ||
      !IsDigits(day, 5, 2) || !IsDigits(day, 8, 2)) {
    return -1;
  }
  std::tm tm{};
  tm.tm_year = std::stoi(day.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(day.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(day.substr(8, 2));
  const std::time_t begin = timegm(&tm);
  // timegm normalises 2026-02-30 to March; a round trip rejects it.
  if (begin == -1 || UtcDay(begin) != day) return -1;
  return static_cast<int64_t>(begin);
}

std::string ReportDirectory(const std::string& state_dir) {
  return state_dir.empty() || state_dir.back() != '/' ? state_dir + "/dmarc" : state_dir + "dmarc";
}

std::string ReportFile(const std::string& state_dir, const std::string& day) {
  return ReportDirectory(state_dir) + "/" + day + ".jsonl";
}

ReportRecord MakeReportRecord(const TransactionInfo& info, const Discovery& discovery,
                              const Verdict& verdict, bool honour_policy, std::time_t now) {
  ReportRecord record;
  record.date = UtcDay(now);
  record.source_ip = info.connection.client_addr_text;
  record.header_from = verdict.author_domain;
  record.envelope_from = AddressDomain(info.message.mail_from);
  const DmarcRecord& published = discovery.record;
  record.policy.domain = discovery.record_domain;
  record.policy.adkim = published.dkim_alignment == Alignment::kStrict ? "s" : "r";
  record.policy.aspf = published.spf_alignment == Alignment::kStrict ? "s" : "r";
  record.policy.p = std::string(PolicyName(published.policy));
  record.policy.sp = std::string(PolicyName(published.subdomain_policy.value_or(published.policy)));
  record.policy.pct = published.percent;
  record.disposition = std::string(PolicyName(honour_policy ? verdict.applied : Policy::kNone));
  record.dkim_aligned = verdict.dkim_aligned ? "pass" : "fail";
  record.spf_aligned = verdict.spf_aligned ? "pass" : "fail";
  // The same methods dmarc_report.cc's FactsFromResults reads: the first
  // "spf", every "dkim".
  bool have_spf = false;
  if (info.finished) {
    for (const CheckResult& result : *info.finished) {
      for (const AuthMethodResult& method : result.methods) {
        if (method.method == "spf" && !have_spf) {
          have_spf = true;
          const std::string mail_from = method.Property("smtp.mailfrom");
          record.spf.result = method.result;
          // RFC 7208 2.4: a null sender is checked as postmaster@HELO.
          record.spf.scope = mail_from.empty() ? "helo" : "mfrom";
          record.spf.domain =
              mail_from.empty() ? ToLower(method.Property("smtp.helo")) : AddressDomain(mail_from);
        } else if (method.method == "dkim" && record.dkim.size() < kMaxReportedSignatures) {
          record.dkim.push_back(
              {ToLower(method.Property("header.d")), method.Property("header.s"), method.result});
        }
      }
    }
  }
  if (!have_spf) {
    // Appendix C requires an spf element; say that nothing was evaluated.
    record.spf = {
        record.envelope_from.empty() ? ToLower(info.connection.helo) : record.envelope_from,
        record.envelope_from.empty() ? "helo" : "mfrom", "none"};
  }
  return record;
}

ReportStore::ReportStore(std::string state_dir, uint64_t max_bytes_per_day)
    : state_dir_(std::move(state_dir)), max_bytes_per_day_(max_bytes_per_day) {}

void ReportStore::LogError(const std::string& message) {
  errors_.fetch_add(1);
  const std::time_t now = std::time(nullptr);
  if (now - last_error_log_ < kErrorLogIntervalSeconds) {
    ++suppressed_errors_;
    return;
  }
  std::string text = "dmarc: aggregate-report data not recorded: " + message;
  if (suppressed_errors_) {
    text += " (" + std::to_string(suppressed_errors_) + " more errors not logged)";
  }
  portcullis::LogWarning(text);
  last_error_log_ = now;
  suppressed_errors_ = 0;
}

bool ReportStore::Append(const ReportRecord& record) {
  const std::string line = RecordToJsonLine(record);
  const std::string path = ReportFile(state_dir_, record.date);
  std::lock_guard<std::mutex> lock(mutex_);
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0 && errno == ENOENT) {
    // The first record ever, or the operator removed the directory.
    const std::string directory = ReportDirectory(state_dir_);
    if (::mkdir(directory.c_str(), 0750) != 0 && errno != EEXIST) {
      LogError("mkdir " + directory + ": " + ErrnoText(errno));
      return false;
    }
    fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
  }
  if (fd < 0) {
    LogError("open " + path + ": " + ErrnoText(errno));
    return false;
  }
  struct stat st {};
  bool ok = false;
  if (::fstat(fd, &st) != 0) {
    LogError("fstat " + path + ": " + ErrnoText(errno));
  } else if (static_cast<uint64_t>(st.st_size) + line.size() > max_bytes_per_day_) {
    over_limit_.fetch_add(1);
    if (limit_logged_day_ != record.date) {
      limit_logged_day_ = record.date;
      portcullis::LogWarning("dmarc: " + path + " reached report_max_bytes_per_day (" +
                             std::to_string(max_bytes_per_day_) +
                             "); no more aggregate-report data is recorded for " + record.date);
    }
  } else {
    const ssize_t written = ::write(fd, line.data(), line.size());
    if (written == static_cast<ssize_t>(line.size())) {
      ok = true;
      recorded_.fetch_add(1);
    } else if (written < 0) {
      LogError("write " + path + ": " + ErrnoText(errno));
    } else {
      // A short write (disk full): the torn line is skipped by the reader.
      LogError("short write to " + path);
    }
  }
  ::close(fd);
  return ok;
}

DayRecords ReadDayRecords(const std::string& state_dir, const std::string& day) {
  DayRecords out;
  DIR* dir = ::opendir(state_dir.c_str());
  if (!dir) {
    out.error = "cannot read state directory " + state_dir + ": " + ErrnoText(errno);
    return out;
  }
  ::closedir(dir);
  const std::string path = ReportFile(state_dir, day);
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (::access(path.c_str(), F_OK) == 0) out.error = "cannot read " + path;
    return out;  // no file: no data for the day
  }
  std::string line;
  while (std::getline(file, line)) {
    if (line.size() > kMaxLineBytes) {
      ++out.malformed_lines;
      continue;
    }
    if (auto record = RecordFromJsonLine(line)) {
      out.records.push_back(std::move(*record));
    } else {
      ++out.malformed_lines;
    }
  }
  return out;
}

}  // namespace portcullis::dmarc
