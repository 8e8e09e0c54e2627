// Command-line arguments of a plugin subcommand (`portcullis spf`, `portcullis
// dkim-verify`, ...): "--name value", "--name=value", flags and positional
// arguments, with the error texts every command shares. Also the resolver
// options behind the common --dns / --dns-timeout-ms pair.
//
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "portcullis/dns.h"

namespace portcullis {

struct CommandArgs {
  std::map<std::string, std::string> values;  // option -> value (the last wins)
  std::set<std::string> flags;
  std::vector<std::string> positional;
  bool help = false;  // --help or -h: nothing else was parsed

  bool Has(const std::string& option) const { return values.count(option) > 0; }
  std::string Value(const std::string& option, const std::string& fallback = "") const {
    auto it = values.find(option);
    return it == values.end() ? fallback : it->second;
  }
};

// Options in `value_options` take a value, those in `flag_options` none; any
// other "-x" is an error, as is more than `max_positional` positional
// arguments. Returns nullopt with `error` set.
std::optional<CommandArgs> ParseCommandArgs(const std::vector<std::string>& args,
                                            const std::vector<std::string>& value_options,
                                            const std::vector<std::string>& flag_options,
                                            size_t max_positional, std::string* error);

// A whole decimal number in [min, max], or nullopt.
std::optional<int64_t> ParseBoundedInteger(const std::string& text, int64_t min, int64_t max);

// The resolver a command uses: only `server` when given ("HOST:PORT"), else
// /etc/resolv.conf; every lookup bounded by `timeout`.
dns::ResolverOptions CommandResolverOptions(const std::string& server,
                                            std::chrono::milliseconds timeout);

}  // namespace portcullis
