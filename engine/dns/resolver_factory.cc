// PLACEHOLDER until the ldns resolver lands (being written now): lets
// plugins link. Replaced by the real MakeResolver.
#include "portcullis/dns.h"

namespace portcullis::dns {

std::unique_ptr<Resolver> MakeResolver(const ResolverOptions&, prometheus::Registry*,
                                       std::string* error) {
  if (error) *error = "resolver not built yet";
  return nullptr;
}

}  // namespace portcullis::dns
