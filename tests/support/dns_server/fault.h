// Fault injection for the test DNS server: which misbehaviour to apply to
// queries under a name suffix (--fault SUFFIX=MODE).
//
// Plain values, parsed once at startup and read-only afterwards; the server is
// single-threaded so no locking is involved.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace portcullis::testing::dns_server {

enum class FaultMode {
  kDrop,             // never answer (TCP: read the query, keep the connection, never reply)
  kServfail,         // RCODE SERVFAIL
  kRefused,          // RCODE REFUSED
  kTruncate,         // UDP: TC=1 with an empty answer; TCP: the normal answer
  kWrongId,          // UDP: a reply with another ID, then the right one ~20 ms later
  kWrongQuestion,    // UDP: a reply for another question name, then the right one
  kCompressionLoop,  // a reply whose answer owner is a compression pointer to itself
  kShort,            // only the first 7 bytes of the correct reply
  kDelay,            // the correct reply after delay_ms milliseconds
};

struct Fault {
  std::string suffix;  // lower case, no trailing dot; "" matches every name
  FaultMode mode = FaultMode::kDrop;
  int delay_ms = 0;  // kDelay only
};

// The longest delay a fault may ask for: longer only slows a test down past
// any resolver timeout worth testing.
inline constexpr int kMaxFaultDelayMs = 60'000;

// Parses "SUFFIX=MODE" (e.g. "slow.example.test=delay-300"). Returns an error
// message, empty on success.
std::string ParseFault(std::string_view spec, Fault* out);

// The first fault (in command-line order) whose suffix equals `qname` or is a
// label-boundary suffix of it. `qname` must be lower case without the
// trailing dot. Returns nullptr when no fault applies.
const Fault* FindFault(const std::vector<Fault>& faults, std::string_view qname);

// "example.test." / "Example.TEST" -> "example.test"; "." -> "".
std::string NormalizeName(std::string_view name);

}  // namespace portcullis::testing::dns_server
