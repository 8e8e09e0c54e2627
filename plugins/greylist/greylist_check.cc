#include "greylist_check.h"

#include "greylist_instance.h"
#include "portcullis/log.h"

extern const char kGreylistProviders[];

namespace portcullis::greylist {

std::unique_ptr<CheckInstance> GreylistCheck::NewInstance() const {
  return std::make_unique<GreylistInstance>(shared_);
}

std::vector<std::string> GreylistCheck::after() const {
  const GreylistConfig& config = *shared_->config;
  std::vector<std::string> names;
  if (config.NeedsEarlyResults()) names.push_back("spf");
  if (!config.skip_symbols.empty()) names.push_back("dnsbl");
  return names;
}

void GreylistCheck::SelfTest() const {
  if (!shared_->store) {
    LogWarning("greylist: no state store: every recipient is accepted without greylisting");
  }
  // Milter command timeouts are typically 10 s or more (Postfix
  // milter_command_timeout 30 s); a second of waiting per message is the
  // most that stays invisible.
  if (shared_->config->early_wait > std::chrono::milliseconds(1000)) {
    LogWarning("greylist: early_wait_ms " + std::to_string(shared_->config->early_wait.count()) +
               " is long: it delays the first RCPT TO of every message");
  }
}

std::unique_ptr<Check> MakeGreylistCheckWithClock(ConfigReader& options,
                                                  const CheckContext& context, WallClock now) {
  auto config = ReadGreylistConfig(options, context.config_dir, kGreylistProviders);
  if (!config) return nullptr;
  auto shared = std::make_shared<GreylistShared>();
  shared->config = std::move(config);
  shared->store = context.store;
  shared->offline = context.offline;
  if (context.metrics) shared->metrics = GreylistMetrics::Create(*context.metrics);
  shared->now = std::move(now);
  return std::make_unique<GreylistCheck>(std::move(shared));
}

std::unique_ptr<Check> MakeGreylistCheck(ConfigReader& options, const CheckContext& context) {
  return MakeGreylistCheckWithClock(options, context, [] { return store::Clock::now(); });
}

}  // namespace portcullis::greylist
