#include "dns/dns_metrics.h"

#include "dns/ldns_include.h"

namespace portcullis::dns {
namespace {

constexpr RecordType kTypes[] = {RecordType::kA,   RecordType::kNs, RecordType::kCname,
                                 RecordType::kPtr, RecordType::kMx, RecordType::kTxt,
                                 RecordType::kAaaa};
// The RCODEs a stub sees in practice; everything else is "OTHER", so the
// label stays bounded whatever a server sends.
constexpr int kRcodes[] = {LDNS_RCODE_NOERROR,  LDNS_RCODE_FORMERR, LDNS_RCODE_SERVFAIL,
                           LDNS_RCODE_NXDOMAIN, LDNS_RCODE_NOTIMPL, LDNS_RCODE_REFUSED};
constexpr const char* kRcodeLabels[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                        "NOTIMP",  "REFUSED", "OTHER"};

// From a cache-missing loopback answer (well under 1 ms) to the 5 s default
// query timeout.
const prometheus::Histogram::BucketBoundaries& DurationBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  return buckets;
}

}  // namespace

DnsMetrics::DnsMetrics(prometheus::Registry* registry) {
  if (!registry) return;
  using namespace prometheus;
  auto& sent = BuildCounter()
                   .Name("portcullis_dns_queries_sent_total")
                   .Help("DNS queries sent to servers (every attempt, UDP and TCP), by type")
                   .Register(*registry);
  for (size_t i = 0; i < std::size(kTypes); ++i) {
    queries_sent_[i] = &sent.Add({{"type", std::string(RecordTypeName(kTypes[i]))}});
  }
  auto& responses = BuildCounter()
                        .Name("portcullis_dns_responses_total")
                        .Help("DNS responses accepted from servers, by RCODE")
                        .Register(*registry);
  for (size_t i = 0; i < std::size(kRcodeLabels); ++i) {
    responses_[i] = &responses.Add({{"rcode", kRcodeLabels[i]}});
  }
  cache_hits_ = &BuildCounter()
                     .Name("portcullis_dns_cache_hits_total")
                     .Help("Lookups answered from the resolver cache")
                     .Register(*registry)
                     .Add({});
  cache_misses_ = &BuildCounter()
                       .Name("portcullis_dns_cache_misses_total")
                       .Help("Lookups the cache could not answer")
                       .Register(*registry)
                       .Add({});
  timeouts_ = &BuildCounter()
                   .Name("portcullis_dns_timeouts_total")
                   .Help("Lookups answered temperror \"timeout\" (caller deadline or all attempts)")
                   .Register(*registry)
                   .Add({});
  merged_ = &BuildCounter()
                 .Name("portcullis_dns_merged_lookups_total")
                 .Help("Lookups attached to an identical query already in flight")
                 .Register(*registry)
                 .Add({});
  tcp_fallbacks_ = &BuildCounter()
                        .Name("portcullis_dns_tcp_fallbacks_total")
                        .Help("Truncated UDP answers retried over TCP")
                        .Register(*registry)
                        .Add({});
  duration_ = &BuildHistogram()
                   .Name("portcullis_dns_query_duration_seconds")
                   .Help("Time from a query's first send to its final answer, all attempts")
                   .Register(*registry)
                   .Add({}, DurationBuckets());
}

void DnsMetrics::QuerySent(RecordType type) {
  for (size_t i = 0; i < std::size(kTypes); ++i) {
    if (kTypes[i] == type) {
      Increment(queries_sent_[i]);
      return;
    }
  }
}

void DnsMetrics::Response(int rcode) {
  size_t index = std::size(kRcodes);  // "OTHER"
  for (size_t i = 0; i < std::size(kRcodes); ++i) {
    if (kRcodes[i] == rcode) index = i;
  }
  Increment(responses_[index]);
}

}  // namespace portcullis::dns
