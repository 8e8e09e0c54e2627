// The pieces of `portcullis dkim-verify` that can be tested without a DNS
// server: argument parsing, the output formats scripts rely on, and the
// whole command over a given resolver factory.
//
// Pure functions except RunDkimVerifyCommand (reads the file, writes to the
// given streams, creates a resolver through the factory); single-threaded.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dkim_result.h"
#include "portcullis/dns.h"

namespace portcullis::dkim {

inline constexpr const char* kDkimVerifyHelp =
    "usage: portcullis dkim-verify [--dns HOST:PORT] [--dns-timeout-ms MS] [--json] FILE.eml\n"
    "\n"
    "Verifies every DKIM-Signature of a stored message exactly as the dkim check\n"
    "does (RFC 6376, RFC 8301, RFC 8463). Lone LF line ends are read as CRLF.\n"
    "\n"
    "  --dns HOST:PORT      ask this server (default: /etc/resolv.conf)\n"
    "  --dns-timeout-ms MS  time limit of the key lookups (default 5000)\n"
    "  --json               one JSON object on one line:\n"
    "                       {\"signatures\": [{\"domain\": \"...\", \"selector\": \"...\",\n"
    "                        \"algorithm\": \"...\", \"result\": \"pass\", \"reason\": \"...\"}],\n"
    "                        \"result\": \"pass\"}\n"
    "\n"
    "\"result\" is pass if any signature passes, none without signatures, else the\n"
    "most significant failure (fail, temperror, permerror, policy, neutral).\n"
    "Exit status: 0 whatever the result, 1 when the file cannot be read or no\n"
    "resolver could be made, 2 on bad usage.\n";

inline constexpr int kDefaultDnsTimeoutMs = 5000;
inline constexpr int kMaxDnsTimeoutMs = 120000;
// Security: the whole file is read into memory; larger messages are not
// what a DKIM debugging tool is for (Postfix's default message_size_limit
// is 10 MB).
inline constexpr size_t kMaxMessageFileBytes = 64 * 1024 * 1024;

struct DkimVerifyArgs {
  bool help = false;
  std::string file;
  std::string dns;  // "" = the system's resolvers
  int timeout_ms = kDefaultDnsTimeoutMs;
  bool json = false;
};

std::optional<DkimVerifyArgs> ParseDkimVerifyArgs(const std::vector<std::string>& args,
                                                  std::string* error);

dns::ResolverOptions ResolverOptionsFor(const DkimVerifyArgs& args);

// The overall result name: "pass", "none", or the most significant failure.
std::string OverallResultName(const std::vector<SignatureResult>& results);
// One line, newline-terminated.
std::string FormatDkimJson(const std::vector<SignatureResult>& results);
// One line per signature ("pass d=... s=... a=... (reason)") and a
// "result: ..." line.
std::string FormatDkimText(const std::vector<SignatureResult>& results);

using ResolverFactory = std::function<std::unique_ptr<dns::Resolver>(
    const dns::ResolverOptions& options, std::string* error)>;

// The whole command; `factory` is dns::MakeResolver in the binary and a
// FakeResolver in tests. `now_unix` is the clock for t= and x=.
int RunDkimVerifyCommand(const std::vector<std::string>& args, const ResolverFactory& factory,
                         int64_t now_unix, std::FILE* out, std::FILE* err);

}  // namespace portcullis::dkim
