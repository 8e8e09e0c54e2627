#include "uribl_check.h"

#include "uribl_instance.h"

namespace portcullis::uribl {

std::unique_ptr<CheckInstance> UriblCheck::NewInstance() const {
  return std::make_unique<UriblInstance>(shared_);
}

std::unique_ptr<Check> MakeUriblCheck(ConfigReader& options, const CheckContext& context) {
  auto config = ReadUriblConfig(options);
  if (!config) return nullptr;
  auto shared = std::make_shared<UriblShared>();
  shared->config = std::move(config);
  shared->resolver = context.resolver;
  if (context.metrics) shared->metrics = UriblMetrics::Create(*context.metrics, *shared->config);
  return std::make_unique<UriblCheck>(std::move(shared));
}

}  // namespace portcullis::uribl
