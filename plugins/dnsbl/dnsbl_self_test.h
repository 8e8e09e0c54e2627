// The start-up self-test of RFC 5782 section 5: every list must list its
// test entry and must not list the "invalid" one:
//
//   ip lists      2.0.0.127.<zone> listed, 1.0.0.127.<zone> not listed
//   ... ipv6      ::FFFF:7F00:2 listed, ::FFFF:7F00:1 not (nibble names)
//   domain lists  test.<zone> listed, invalid.<zone> not listed
//
// A list that lists 127.0.0.1 lists everything (a shut-down list whose zone
// now wildcards, the classic way a DNSBL starts rejecting all mail); one
// that lists nothing has a wrong zone name or refuses us (127.255.255.x
// codes from a public resolver). Either way the operator is told at start,
// not after a day of lost or unfiltered mail.
//
// Called from Check::SelfTest once when the daemon starts serving. All
// queries run in parallel and the whole test is bounded by `budget`, so it
// never delays start-up longer. Thread-safe; keeps no state.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "dnsbl_config.h"
#include "portcullis/dns.h"

namespace portcullis::dnsbl {

inline constexpr std::chrono::milliseconds kSelfTestBudget{3000};

// One warning per problem found, naming the list and what was wrong; empty
// when every tested list behaves.
std::vector<std::string> SelfTestWarnings(const DnsblConfig& config, dns::Resolver& resolver,
                                          std::chrono::milliseconds budget = kSelfTestBudget);

// SelfTestWarnings, each logged as a warning.
void RunSelfTest(const DnsblConfig& config, dns::Resolver* resolver);

}  // namespace portcullis::dnsbl
