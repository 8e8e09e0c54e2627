// MakeResolver: checks the options, builds the server list and starts the
// ldns/epoll resolver (ldns_resolver.h).
#include "dns/dns_server_list.h"
#include "dns/ldns_resolver.h"
#include "portcullis/dns.h"

namespace portcullis::dns {
namespace {

// resolv.conf(5): where the system's name servers are listed.
constexpr char kResolvConfPath[] = "/etc/resolv.conf";

bool CheckOptions(const ResolverOptions& options, std::string* error) {
  if (options.attempts < 1) {
    *error = "dns attempts must be at least 1";
    return false;
  }
  if (options.attempt_timeout.count() <= 0) {
    *error = "dns attempt_timeout must be positive";
    return false;
  }
  if (options.query_timeout.count() <= 0) {
    *error = "dns query_timeout must be positive";
    return false;
  }
  if (options.cache_min_ttl > options.cache_max_ttl) {
    *error = "dns cache_min_ttl is above cache_max_ttl";
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<Resolver> MakeResolver(const ResolverOptions& options,
                                       prometheus::Registry* metrics, std::string* error) {
  std::string ignored;
  if (!error) error = &ignored;
  if (!CheckOptions(options, error)) return nullptr;
  std::vector<ServerAddress> servers;
  if (!BuildServerList(options.servers, kResolvConfPath, &servers, error)) return nullptr;
  return LdnsResolver::Create(options, std::move(servers), metrics, error);
}

}  // namespace portcullis::dns
