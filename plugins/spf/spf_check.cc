#include "spf_check.h"

#include "portcullis/log.h"
#include "spf_instance.h"

namespace portcullis::spf {

SpfCheck::SpfCheck(std::shared_ptr<const SpfOptions> options, dns::Resolver* resolver,
                   std::shared_ptr<const SpfMetrics> metrics)
    : options_(std::move(options)), resolver_(resolver), metrics_(std::move(metrics)) {}

std::unique_ptr<CheckInstance> SpfCheck::NewInstance() const {
  return std::make_unique<SpfInstance>(options_, resolver_, cache_, metrics_);
}

void SpfCheck::SelfTest() const {
  if (!resolver_) LogWarning("spf: no DNS resolver; every message gets SPF_TEMPERROR");
}

std::unique_ptr<Check> MakeSpfCheck(ConfigReader& options, const CheckContext& context) {
  auto spf_options = ReadSpfOptions(options);
  if (!spf_options) return nullptr;
  std::shared_ptr<const SpfMetrics> metrics;
  if (context.metrics) metrics = SpfMetrics::Create(*context.metrics);
  return std::make_unique<SpfCheck>(std::move(spf_options), context.resolver, std::move(metrics));
}

}  // namespace portcullis::spf
