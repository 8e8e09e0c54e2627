// A scripted in-memory Resolver for unit tests of DNS-driven checks.
//
// Tests add records by name and type; a name with no records at all is
// NXDOMAIN, a name with records of other types is NODATA. Individual
// (name, type) pairs can be set to any Status (temperror, permerror). Every
// lookup is counted. By default answers are delivered inline, like a cache
// hit; set_async(true) delivers them from a separate thread after the call
// returns, like the real loop. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "portcullis/dns.h"
#include "portcullis/transaction_info.h"

namespace portcullis::testing {

class FakeResolver : public dns::Resolver {
 public:
  using Resolver::Lookup;

  ~FakeResolver() override { StopWorker(); }

  void AddA(const std::string& name, const std::vector<std::string>& addresses) {
    AddAddresses(name, dns::RecordType::kA, addresses);
  }
  void AddAaaa(const std::string& name, const std::vector<std::string>& addresses) {
    AddAddresses(name, dns::RecordType::kAaaa, addresses);
  }
  void AddTxt(const std::string& name, const std::vector<std::string>& texts) {
    Mutable(name, dns::RecordType::kTxt).texts = texts;
  }
  void AddMx(const std::string& name, const std::vector<dns::MxRecord>& mx) {
    Mutable(name, dns::RecordType::kMx).mx = mx;
  }
  void AddPtr(const std::string& name, const std::vector<std::string>& names) {
    Mutable(name, dns::RecordType::kPtr).names = names;
  }
  // Forces the status of one (name, type), e.g. kTempError for a timeout.
  void SetStatus(const std::string& name, dns::RecordType type, dns::Status status,
                 std::string error = "") {
    dns::Answer& answer = Mutable(name, type);
    answer.status = status;
    answer.error = std::move(error);
  }
  // Answers nothing until the caller's deadline: a dead server.
  void SetUnanswered(const std::string& name, dns::RecordType type) {
    std::lock_guard<std::mutex> lock(mutex_);
    unanswered_.insert({Normalise(name), type});
  }
  void set_async(bool async) {
    if (async) StartWorker();
    else StopWorker();
  }

  int lookups() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lookups_;
  }
  int LookupsOf(const std::string& name, dns::RecordType type) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = per_question_.find({Normalise(name), type});
    return it == per_question_.end() ? 0 : it->second;
  }

  void Lookup(std::string_view name, dns::RecordType type, Deadline deadline,
              dns::LookupCallback done) override {
    dns::AnswerPtr answer;
    bool unanswered;
    bool async;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::string key = Normalise(name);
      ++lookups_;
      ++per_question_[{key, type}];
      answer = AnswerLocked(key, type);
      unanswered = unanswered_.count({key, type}) > 0;
      async = worker_.joinable();
    }
    if (unanswered) {
      auto timeout = std::make_shared<dns::Answer>();
      timeout->status = dns::Status::kTempError;
      timeout->error = "timeout";
      Deliver(std::move(done), timeout, deadline, /*async=*/true);
      return;
    }
    Deliver(std::move(done), std::move(answer), Deadline::Never(), async);
  }

 private:
  using Question = std::pair<std::string, dns::RecordType>;
  struct Delivery {
    Deadline when;
    dns::LookupCallback done;
    dns::AnswerPtr answer;
  };

  static std::string Normalise(std::string_view name) {
    std::string lower = ToLower(name);
    if (!lower.empty() && lower.back() == '.') lower.pop_back();
    return lower;
  }
  dns::Answer& Mutable(const std::string& name, dns::RecordType type) {
    std::lock_guard<std::mutex> lock(mutex_);
    dns::Answer& answer = records_[{Normalise(name), type}];
    answer.status = dns::Status::kOk;
    answer.ttl = 300;
    return answer;
  }
  void AddAddresses(const std::string& name, dns::RecordType type,
                    const std::vector<std::string>& addresses) {
    dns::Answer& answer = Mutable(name, type);
    for (const std::string& text : addresses) answer.addresses.push_back(*IpAddress::Parse(text));
  }
  dns::AnswerPtr AnswerLocked(const std::string& name, dns::RecordType type) const {
    auto it = records_.find({name, type});
    if (it != records_.end()) return std::make_shared<dns::Answer>(it->second);
    auto missing = std::make_shared<dns::Answer>();
    missing->status = dns::Status::kNxDomain;
    missing->ttl = 60;
    for (const auto& [question, answer] : records_) {
      if (question.first == name) missing->status = dns::Status::kNoData;
    }
    return missing;
  }
  void Deliver(dns::LookupCallback done, dns::AnswerPtr answer, Deadline when, bool async) {
    if (!async) {
      done(answer);
      return;
    }
    StartWorker();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back({when, std::move(done), std::move(answer)});
    }
    wake_.notify_all();
  }
  void StartWorker() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (worker_.joinable()) return;
    stopping_ = false;
    worker_ = std::thread([this] { Run(); });
  }
  void StopWorker() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!worker_.joinable()) return;
      stopping_ = true;
    }
    wake_.notify_all();
    worker_.join();
  }
  // Delivers queued answers in order, each no earlier than its time (a
  // timeout waits for the caller's deadline, capped so tests cannot hang).
  void Run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      Delivery next = std::move(queue_.front());
      queue_.pop_front();
      if (next.when.when() != Deadline::Never().when()) {
        Deadline when = next.when.Min(Deadline::After(std::chrono::seconds(10)));
        wake_.wait_until(lock, when.when(), [&] { return stopping_; });
      }
      lock.unlock();
      next.done(next.answer);
      lock.lock();
    }
  }

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<Question, dns::Answer> records_;
  std::set<Question> unanswered_;
  std::map<Question, int> per_question_;
  int lookups_ = 0;
  std::deque<Delivery> queue_;
  std::thread worker_;
  bool stopping_ = false;
};

}  // namespace portcullis::testing
