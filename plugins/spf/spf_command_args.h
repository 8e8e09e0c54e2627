// The pieces of `portcullis spf` that can be tested without a DNS server:
// argument parsing, resolver options, and the exact output formats that
// scripts rely on.
//
// Pure functions except RunSpfCommand (which writes to the given streams and
// creates a resolver through the given factory); single-threaded use.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/dns.h"
#include "portcullis/ip_address.h"
#include "spf_evaluator.h"

namespace portcullis::spf {

inline constexpr const char* kSpfCommandHelp =
    "usage: portcullis spf --ip IP --helo HELO [--sender ADDRESS] [--dns HOST:PORT]\n"
    "                      [--dns-timeout-ms MS] [--json]\n"
    "\n"
    "Evaluates SPF (RFC 7208) exactly as the spf check does: the MAIL FROM\n"
    "identity of ADDRESS, or the HELO identity when --sender is absent or \"\".\n"
    "\n"
    "  --ip IP              the SMTP client address (IPv4 or IPv6)\n"
    "  --helo HELO          the HELO/EHLO name\n"
    "  --sender ADDRESS     the MAIL FROM address (\"\" = null reverse-path)\n"
    "  --dns HOST:PORT      ask this server (default: /etc/resolv.conf)\n"
    "  --dns-timeout-ms MS  time limit of the whole evaluation (default 5000)\n"
    "  --json               one JSON object on one line:\n"
    "                       {\"result\": \"pass\", \"explanation\": \"...\"}\n"
    "                       (\"explanation\" only when an exp= produced one)\n"
    "\n"
    "Without --json: one line \"RESULT (DETAIL)\", DETAIL being the explanation\n"
    "when there is one, else what matched or went wrong.\n"
    "Exit status: 0 whatever the SPF result, 1 when no resolver could be made,\n"
    "2 on bad usage.\n";

// Default and bounds of --dns-timeout-ms.
inline constexpr int kDefaultDnsTimeoutMs = 5000;
inline constexpr int kMaxDnsTimeoutMs = 120000;

struct SpfCommandArgs {
  bool help = false;
  IpAddress ip;
  std::string helo;
  std::string sender;  // "" = null reverse-path: the HELO identity
  std::string dns;     // "" = the system's resolvers
  int timeout_ms = kDefaultDnsTimeoutMs;
  bool json = false;
};

// Parses the arguments after "spf". Returns nullopt with `error` set on bad
// usage (unknown option, missing value, missing --ip or --helo, an address
// that does not parse, a bad timeout).
std::optional<SpfCommandArgs> ParseSpfCommandArgs(const std::vector<std::string>& args,
                                                  std::string* error);

dns::ResolverOptions ResolverOptionsFor(const SpfCommandArgs& args);
CheckHostRequest CheckHostRequestFor(const SpfCommandArgs& args);

// "pass (example.org: ip4:192.0.2.0/24 matched)\n"
std::string FormatSpfText(const SpfOutcome& outcome);
// {"result": "fail", "explanation": "..."} and a newline.
std::string FormatSpfJson(const SpfOutcome& outcome);

using ResolverFactory = std::function<std::unique_ptr<dns::Resolver>(
    const dns::ResolverOptions& options, std::string* error)>;

// The whole command; `factory` is dns::MakeResolver in the binary and a
// FakeResolver in tests.
int RunSpfCommand(const std::vector<std::string>& args, const ResolverFactory& factory,
                  std::FILE* out, std::FILE* err);

}  // namespace portcullis::spf
