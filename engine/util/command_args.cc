#include "portcullis/command_args.h"

#include <algorithm>
#include <charconv>

namespace portcullis {

std::optional<CommandArgs> ParseCommandArgs(const std::vector<std::string>& args,
                                            const std::vector<std::string>& value_options,
                                            const std::vector<std::string>& flag_options,
                                            size_t max_positional, std::string* error) {
  auto listed = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  auto fail = [&](std::string message) -> std::optional<CommandArgs> {
    *error = std::move(message);
    return std::nullopt;
  };
  CommandArgs parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> value;
    if (const size_t eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "--help" || name == "-h") {
      parsed.help = true;
      return parsed;
    }
    if (listed(flag_options, name)) {
      if (value) return fail("option " + name + " takes no value");
      parsed.flags.insert(name);
      continue;
    }
    if (listed(value_options, name)) {
      if (!value) {
        if (i + 1 >= args.size()) return fail("option " + name + " needs a value");
        value = args[++i];
      }
      parsed.values[name] = *value;
      continue;
    }
    if (name.size() > 1 && name[0] == '-') return fail("unknown option " + name);
    if (parsed.positional.size() == max_positional) return fail("unexpected argument " + name);
    parsed.positional.push_back(name);
  }
  return parsed;
}

std::optional<int64_t> ParseBoundedInteger(const std::string& text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

dns::ResolverOptions CommandResolverOptions(const std::string& server,
                                            std::chrono::milliseconds timeout) {
  dns::ResolverOptions options;
  if (!server.empty()) options.servers = {server};
  options.query_timeout = timeout;
  options.attempt_timeout = std::min(options.attempt_timeout, options.query_timeout);
  return options;
}

}  // namespace portcullis
