#include "dns/ldns_resolver.h"

#include <utility>

#include "dns/dns_name_syntax.h"

namespace portcullis::dns {
namespace {

constexpr const char kStopped[] = "resolver stopped";

CachePolicy PolicyOf(const ResolverOptions& options) {
  CachePolicy policy;
  policy.max_entries = options.cache_max_entries;
  policy.min_ttl = options.cache_min_ttl;
  policy.max_ttl = options.cache_max_ttl;
  policy.negative_max_ttl = options.negative_max_ttl;
  return policy;
}

}  // namespace

std::unique_ptr<LdnsResolver> LdnsResolver::Create(const ResolverOptions& options,
                                                   std::vector<ServerAddress> servers,
                                                   prometheus::Registry* metrics,
                                                   std::string* error) {
  std::unique_ptr<EventLoop> loop = EventLoop::Create(error);
  if (!loop) return nullptr;
  std::unique_ptr<LdnsResolver> resolver(new LdnsResolver(options, metrics, std::move(loop)));
  RunnerConfig config;
  config.servers = std::move(servers);
  config.attempt_timeout = options.attempt_timeout;
  config.attempts = options.attempts;
  config.edns_udp_size = options.edns_udp_size;
  config.cache_policy = PolicyOf(options);
  resolver->runner_ = std::make_unique<QueryRunner>(std::move(config), resolver->loop_.get(),
                                                    &resolver->cache_, &resolver->metrics_);
  resolver->thread_ = std::thread([raw = resolver.get()] { raw->Run(); });
  return resolver;
}

LdnsResolver::LdnsResolver(const ResolverOptions& options, prometheus::Registry* metrics,
                           std::unique_ptr<EventLoop> loop)
    : query_timeout_(options.query_timeout),
      metrics_(metrics),
      cache_(PolicyOf(options)),
      loop_(std::move(loop)) {}

LdnsResolver::~LdnsResolver() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  loop_->Wake();
  if (thread_.joinable()) thread_.join();
}

void LdnsResolver::Lookup(std::string_view name, RecordType type, Deadline deadline,
                          LookupCallback done) {
  NormalizedName normalized;
  if (std::string_view why = NormalizeName(name, &normalized); !why.empty()) {
    if (done) done(ErrorAnswer(Status::kPermError, std::string(why)));
    return;
  }
  auto now = Deadline::Clock::now();
  if (cache_.enabled()) {
    if (AnswerPtr hit = cache_.Find(normalized.view(), type, now)) {
      metrics_.CacheHit();
      if (done) done(hit);
      return;
    }
    metrics_.CacheMiss();
  }
  // The resolver's own whole-query limit applies when the caller's deadline
  // is later (or Never): every query has a deadline.
  auto limit = now + query_timeout_;
  Submission submission{std::string(normalized.view()), type, std::min(deadline.when(), limit),
                        std::move(done)};
  bool queued = false;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      wake = queue_.empty();  // a non-empty queue has a wake pending already
      queue_.push_back(std::move(submission));
      queued = true;
    }
  }
  if (!queued) {
    if (submission.done) submission.done(ErrorAnswer(Status::kTempError, kStopped));
    return;
  }
  if (wake) loop_->Wake();
}

void LdnsResolver::Run() {
  std::vector<EventLoop::Event> events;
  std::vector<Submission> batch;
  bool stop = false;
  while (!stop) {
    loop_->Wait(runner_->NextTimer(), &events);
    bool woken = false;
    for (const EventLoop::Event& event : events) {
      if (event.token == EventLoop::kWakeToken) {
        woken = true;
      } else {
        runner_->OnEvent(event.token, event.events);
      }
    }
    if (woken) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        batch.swap(queue_);
        stop = stopping_;
      }
      for (Submission& submission : batch) {
        if (stop) {
          if (submission.done) submission.done(ErrorAnswer(Status::kTempError, kStopped));
        } else {
          runner_->Submit(std::move(submission));
        }
      }
      batch.clear();
    }
    if (!stop) runner_->OnTimers(Deadline::Clock::now());
  }
  runner_->StopAll(kStopped);
}

}  // namespace portcullis::dns
