// The DNS queries of one message: started the moment the MIME parser
// reports a URL or address (while the body is still arriving), deduplicated
// per list, bounded by max_lookups, answered on the resolver's thread and
// retrieved at end of message.
//
// A LookupSet belongs to one UriblInstance and is called by one thread at a
// time. Each answer is classified (dnsbl::Classify) and counted in the
// resolver's callback and handed over through a shared AsyncResult, so an
// answer arriving after the message is gone touches only shared, immutable
// state (UriblShared) and the abandoned AsyncResult.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dnsbl_answer.h"
#include "portcullis/async_result.h"
#include "portcullis/dns.h"
#include "uribl_config.h"
#include "uribl_metrics.h"
#include "uribl_names.h"

namespace portcullis::uribl {

// What the check's instances and callbacks share: built with the check,
// immutable, kept alive by every callback still in flight.
struct UriblShared {
  std::shared_ptr<const UriblConfig> config;
  std::unique_ptr<UriblMetrics> metrics;  // null without a registry
  dns::Resolver* resolver = nullptr;      // null in offline commands without DNS
};

struct Lookup {
  size_t list = 0;         // index into UriblConfig::lists
  std::string subject;     // "example.co.uk" or "192.0.2.1"
  uint8_t identities = 0;  // kUrl / kEmail: where the subject was found
  std::string query;       // the full query name
  AsyncResultPtr<dnsbl::ListAnswer> answer;
};

class LookupSet {
 public:
  explicit LookupSet(std::shared_ptr<const UriblShared> shared) : shared_(std::move(shared)) {}

  // Asks every list that takes `subject` found as `identity`, unless the
  // subject is excluded, already asked on that list, or the message's
  // max_lookups would be passed (then nothing is asked for it: a subject is
  // asked on all its lists or on none, and skipped() counts it).
  void Ask(const Subject& subject, Identity identity);

  const std::vector<Lookup>& lookups() const { return lookups_; }
  int skipped() const { return skipped_; }

 private:
  void Start(size_t list, const Subject& subject, Identity identity, std::string query);

  std::shared_ptr<const UriblShared> shared_;
  std::vector<Lookup> lookups_;
  int skipped_ = 0;
};

}  // namespace portcullis::uribl
