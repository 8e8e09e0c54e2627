// The DNS queries of one message: started at the stage that has their input
// (client address at connect, HELO, sender, From), answered on the
// resolver's thread, retrieved at RCPT TO and at end of message.
//
// A LookupSet belongs to one DnsblInstance and is called by one thread at a
// time. Each query's answer is classified and counted by the resolver's
// callback and handed over through a shared AsyncResult, so a late answer
// after the message is gone touches only shared, immutable state
// (DnsblShared) and the abandoned AsyncResult.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dnsbl_answer.h"
#include "dnsbl_config.h"
#include "dnsbl_metrics.h"
#include "portcullis/async_result.h"
#include "portcullis/dns.h"

namespace portcullis::dnsbl {

// What the check's instances and callbacks share: built with the check,
// immutable, kept alive by every callback still in flight.
struct DnsblShared {
  std::shared_ptr<const DnsblConfig> config;
  std::unique_ptr<DnsblMetrics> metrics;  // null without a registry
  dns::Resolver* resolver = nullptr;      // null in offline commands without DNS
};

struct Lookup {
  size_t list = 0;         // index into DnsblConfig::lists
  std::string domain;      // domain lists: the looked-up name; "" for ip lists
  uint8_t identities = 0;  // domain lists: the identities that named `domain`
  std::string query;       // the full query name
  AsyncResultPtr<ListAnswer> answer;
};

class LookupSet {
 public:
  explicit LookupSet(std::shared_ptr<const DnsblShared> shared) : shared_(std::move(shared)) {}

  // Asks every ip list about `client` (IPv6 only where the list has ipv6).
  void StartIp(const IpAddress& client);
  // Asks every domain list that looks at `identity` about `domain` (already
  // normalised); a (list, domain) already asked just gains the identity.
  void StartDomain(Identity identity, const std::string& domain);
  // Forgets `identity` (a new HELO replaces the old one); queries named by
  // it alone are dropped.
  void Drop(Identity identity);

  const std::vector<Lookup>& lookups() const { return lookups_; }

 private:
  void Start(size_t list, std::string domain, uint8_t identities, std::string query);

  std::shared_ptr<const DnsblShared> shared_;
  std::vector<Lookup> lookups_;
};

}  // namespace portcullis::dnsbl
