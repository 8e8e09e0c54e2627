#include "dnsbl_check.h"

#include "dnsbl_instance.h"
#include "dnsbl_self_test.h"

namespace portcullis::dnsbl {

StageMask DnsblCheck::stages() const {
  StageMask mask = 0;
  for (const DnsblList& list : shared_->config->lists) {
    if (list.type == ListType::kIp) {
      mask |= kStageConnect;
      if (list.Rejects()) mask |= kStageRcpt;
      continue;
    }
    if (list.identities & kHelo) mask |= kStageHelo;
    if (list.identities & kSender) mask |= kStageMailFrom;
    // The From header is read from the headers the engine keeps.
    if (list.identities & kFrom) mask |= kStageEndOfHeaders;
    if (list.Rejects() && (list.identities & (kHelo | kSender))) mask |= kStageRcpt;
  }
  return mask;
}

std::unique_ptr<CheckInstance> DnsblCheck::NewInstance() const {
  return std::make_unique<DnsblInstance>(shared_);
}

void DnsblCheck::SelfTest() const { RunSelfTest(*shared_->config, shared_->resolver); }

std::unique_ptr<Check> MakeDnsblCheck(ConfigReader& options, const CheckContext& context) {
  auto config = ReadDnsblConfig(options);
  if (!config) return nullptr;
  auto shared = std::make_shared<DnsblShared>();
  shared->config = std::move(config);
  shared->resolver = context.resolver;
  if (context.metrics) shared->metrics = DnsblMetrics::Create(*context.metrics, *shared->config);
  return std::make_unique<DnsblCheck>(std::move(shared));
}

}  // namespace portcullis::dnsbl
