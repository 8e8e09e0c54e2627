// QueryRunner: queries, waiters, deadlines and completion. The network side
// of an attempt is in dns_query_attempt.cc.
#include "dns/dns_query_runner.h"

#include <algorithm>

#include "dns/dns_name_syntax.h"

namespace portcullis::dns {

AnswerPtr ErrorAnswer(Status status, std::string error) {
  auto answer = std::make_shared<Answer>();
  answer->status = status;
  answer->error = std::move(error);
  return answer;
}

QueryRunner::QueryRunner(RunnerConfig config, EventLoop* loop, DnsCache* cache, DnsMetrics* metrics)
    : config_(std::move(config)),
      loop_(loop),
      cache_(cache),
      metrics_(metrics),
      timeout_answer_(ErrorAnswer(Status::kTempError, "timeout")),
      buffer_(kMaxDnsMessageOctets) {}

QueryRunner::~QueryRunner() {
  // StopAll() has normally emptied everything; make sure no socket leaks.
  for (auto& [id, query] : queries_) EndAttempt(*query);
}

std::string QueryRunner::KeyOf(std::string_view name, RecordType type) {
  // Type first, fixed width: names may hold any byte, so no separator is safe.
  std::string key(2, '\0');
  key[0] = static_cast<char>(static_cast<uint16_t>(type) >> 8);
  key[1] = static_cast<char>(static_cast<uint16_t>(type) & 0xff);
  key.append(name);
  return key;
}

void QueryRunner::Submit(Submission submission) {
  Clock::time_point now = Clock::now();
  if (submission.deadline <= now) {
    metrics_->Timeout();
    callbacks_.emplace_back(std::move(submission.done), timeout_answer_);
    RunCallbacks();
    return;
  }
  // The answer may have arrived since the caller's own cache check.
  if (AnswerPtr hit = cache_->Find(submission.name, submission.type, now)) {
    callbacks_.emplace_back(std::move(submission.done), std::move(hit));
    RunCallbacks();
    return;
  }
  std::string key = KeyOf(submission.name, submission.type);
  if (auto found = by_key_.find(key); found != by_key_.end()) {
    Query& query = *queries_.at(found->second);
    metrics_->Merged();
    if (submission.deadline > query.deadline) {
      // A later waiter lets the current attempt run its full wait again.
      query.deadline = submission.deadline;
      if (query.token != 0) {
        query.attempt_deadline = std::min(query.attempt_full_deadline, query.deadline);
      }
    }
    query.waiters.push_back({submission.deadline, std::move(submission.done)});
    Arm(query);
    return;
  }
  auto owned = std::make_unique<Query>();
  Query& query = *owned;
  query.id = ++next_id_;
  query.key = std::move(key);
  query.name = std::move(submission.name);
  query.type = submission.type;
  query.qname = query.name;
  query.identity.qname_wire = NameToWire(query.qname);
  query.identity.type = query.type;
  query.started = now;
  query.deadline = submission.deadline;
  query.waiters.push_back({submission.deadline, std::move(submission.done)});
  by_key_.emplace(query.key, query.id);
  queries_.emplace(query.id, std::move(owned));
  StartAttempt(query, now, /*tcp=*/false);
  RunCallbacks();
}

void QueryRunner::OnTimers(Clock::time_point now) {
  while (!timers_.empty() && timers_.begin()->first <= now) {
    uint64_t id = timers_.begin()->second;
    timers_.erase(timers_.begin());
    auto found = queries_.find(id);
    if (found == queries_.end()) continue;
    found->second->armed = Clock::time_point::max();
    OnQueryTimer(*found->second, now);
  }
  RunCallbacks();
}

void QueryRunner::OnQueryTimer(Query& query, Clock::time_point now) {
  if (now >= query.deadline) {
    Finish(query, ErrorAnswer(Status::kTempError, TimeoutError(query)));
    return;
  }
  // Waiters whose own deadline came before the query's (a merged lookup
  // with a shorter deadline): answer them now, the others keep waiting.
  auto expired = std::stable_partition(query.waiters.begin(), query.waiters.end(),
                                       [now](const Waiter& w) { return w.deadline > now; });
  for (auto it = expired; it != query.waiters.end(); ++it) {
    metrics_->Timeout();
    callbacks_.emplace_back(std::move(it->done), timeout_answer_);
  }
  query.waiters.erase(expired, query.waiters.end());
  if (query.token != 0 && now >= query.attempt_deadline) {
    NextTry(query, now, TimeoutError(query));
    return;
  }
  Arm(query);
}

std::string QueryRunner::TimeoutError(const Query& query) const {
  // Garbage arrived but nothing usable: say so rather than "timeout", so an
  // operator can tell a broken server from a dead one.
  return query.saw_malformed ? "malformed answer" : "timeout";
}

void QueryRunner::Finish(Query& query, const AnswerPtr& answer, bool count_duration) {
  EndAttempt(query);
  Disarm(query);
  if (count_duration) {
    metrics_->QueryDone(std::chrono::duration<double>(Clock::now() - query.started).count());
  }
  bool timeout = answer->status == Status::kTempError && answer->error == "timeout";
  for (Waiter& waiter : query.waiters) {
    if (timeout) metrics_->Timeout();
    callbacks_.emplace_back(std::move(waiter.done), answer);
  }
  by_key_.erase(query.key);
  queries_.erase(query.id);  // destroys `query`
}

void QueryRunner::StopAll(const std::string& error) {
  AnswerPtr stopped = ErrorAnswer(Status::kTempError, error);
  std::vector<uint64_t> ids;
  ids.reserve(queries_.size());
  for (const auto& [id, query] : queries_) ids.push_back(id);
  for (uint64_t id : ids) Finish(*queries_.at(id), stopped, /*count_duration=*/false);
  RunCallbacks();
}

void QueryRunner::EndAttempt(Query& query) {
  if (query.token == 0) return;
  by_token_.erase(query.token);
  if (query.udp) loop_->Unwatch(query.udp->fd());
  if (query.tcp) loop_->Unwatch(query.tcp->fd());
  query.udp.reset();
  query.tcp.reset();
  query.token = 0;
  query.attempt_full_deadline = Clock::time_point::max();
  query.attempt_deadline = Clock::time_point::max();
}

void QueryRunner::Arm(Query& query) {
  Clock::time_point next = std::min(query.deadline, query.attempt_deadline);
  for (const Waiter& waiter : query.waiters) next = std::min(next, waiter.deadline);
  if (next == query.armed) return;
  Disarm(query);
  timers_.emplace(next, query.id);
  query.armed = next;
}

void QueryRunner::Disarm(Query& query) {
  if (query.armed == Clock::time_point::max()) return;
  timers_.erase({query.armed, query.id});
  query.armed = Clock::time_point::max();
}

QueryRunner::Clock::time_point QueryRunner::NextTimer() const {
  return timers_.empty() ? Clock::time_point::max() : timers_.begin()->first;
}

void QueryRunner::RunCallbacks() {
  // Swap out first: a callback may not re-enter the runner, but being
  // defensive here costs nothing.
  while (!callbacks_.empty()) {
    std::vector<std::pair<LookupCallback, AnswerPtr>> ready;
    ready.swap(callbacks_);
    for (auto& [done, answer] : ready) {
      if (done) done(answer);
    }
  }
}

}  // namespace portcullis::dns
