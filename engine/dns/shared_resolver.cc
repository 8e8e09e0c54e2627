#include "dns/shared_resolver.h"

#include <mutex>

namespace portcullis::dns {

std::shared_ptr<Resolver> AcquireSharedResolver(const ResolverOptions& options,
                                                prometheus::Registry* metrics,
                                                std::string* error) {
  static std::mutex mutex;
  static ResolverOptions current_options;
  static std::weak_ptr<Resolver> current;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto existing = current.lock(); existing && current_options == options) return existing;
  std::shared_ptr<Resolver> made = MakeResolver(options, metrics, error);
  if (!made) return nullptr;
  current_options = options;
  current = made;
  return made;
}

}  // namespace portcullis::dns
