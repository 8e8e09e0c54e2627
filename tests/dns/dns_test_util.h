// Helpers for the resolver's tests: DNS responses built from record text
// through ldns (and raw bytes for what ldns would never build), and a
// thread-safe collector of lookup callbacks.
//
// Test-only; the collector may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dns/ldns_include.h"
#include "portcullis/dns.h"

namespace portcullis::dns::testing {

struct ResponseSpec {
  uint16_t id = 0x1234;
  std::string qname = "a.test";
  ldns_rr_type qtype = LDNS_RR_TYPE_A;
  ldns_pkt_rcode rcode = LDNS_RCODE_NOERROR;
  bool qr = true;
  bool tc = false;
  std::vector<std::string> answer;  // "name TTL IN TYPE rdata", absolute names
  std::vector<std::string> authority;
};

// The wire form of `spec`; fails the current test on bad record text.
std::vector<uint8_t> BuildResponse(const ResponseSpec& spec);

// One callback's result, with the thread and time it arrived on.
struct Delivery {
  AnswerPtr answer;
  std::thread::id thread;
  std::chrono::steady_clock::time_point when;
};

// Declare it before the resolver that calls it, so that it outlives it.
class Collector {
 public:
  LookupCallback Callback(int slot);
  // Waits until `count` callbacks arrived or `limit` passed; true if they did.
  bool WaitFor(size_t count, std::chrono::milliseconds limit);
  std::vector<Delivery> Take();
  // How often each slot was called back (exactly-once checks).
  std::vector<int> CallsPerSlot(int slots);

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::pair<int, Delivery>> deliveries_;
};

// "ok 192.0.2.1,192.0.2.2" / "nxdomain" / "temperror timeout": a one-line
// summary of an answer for table checks.
std::string Summary(const AnswerPtr& answer);

}  // namespace portcullis::dns::testing
