#include "spf_command_args.h"

#include <algorithm>
#include <charconv>

#include "spf_text.h"

namespace portcullis::spf {

std::optional<SpfCommandArgs> ParseSpfCommandArgs(const std::vector<std::string>& args,
                                                  std::string* error) {
  SpfCommandArgs parsed;
  std::optional<std::string> ip;
  std::optional<std::string> helo;
  std::string timeout;
  auto fail = [&](std::string message) -> std::optional<SpfCommandArgs> {
    *error = std::move(message);
    return std::nullopt;
  };
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
    if (name == "--json") {
      if (value) return fail("option --json takes no value");
      parsed.json = true;
      continue;
    }
    std::string* target = nullptr;
    if (name == "--ip") {
      target = &ip.emplace();
    } else if (name == "--helo") {
      target = &helo.emplace();
    } else if (name == "--sender") {
      target = &parsed.sender;
    } else if (name == "--dns") {
      target = &parsed.dns;
    } else if (name == "--dns-timeout-ms") {
      target = &timeout;
    } else {
      return fail(name.rfind("-", 0) == 0 ? "unknown option " + name
                                          : "unexpected argument " + name);
    }
    if (!value) {
      if (i + 1 >= args.size()) return fail("option " + name + " needs a value");
      value = args[++i];
    }
    *target = *value;
  }
  if (!ip) return fail("--ip is required");
  if (!helo) return fail("--helo is required");
  auto address = IpAddress::Parse(*ip);
  if (!address) return fail("--ip: '" + *ip + "' is not an IP address");
  parsed.ip = *address;
  parsed.helo = *helo;
  if (!timeout.empty()) {
    int value = 0;
    auto [end, ec] = std::from_chars(timeout.data(), timeout.data() + timeout.size(), value);
    if (ec != std::errc() || end != timeout.data() + timeout.size() || value < 1 ||
        value > kMaxDnsTimeoutMs) {
      return fail("--dns-timeout-ms: want 1 to " + std::to_string(kMaxDnsTimeoutMs));
    }
    parsed.timeout_ms = value;
  }
  return parsed;
}

dns::ResolverOptions ResolverOptionsFor(const SpfCommandArgs& args) {
  dns::ResolverOptions options;
  if (!args.dns.empty()) options.servers = {args.dns};
  options.query_timeout = std::chrono::milliseconds(args.timeout_ms);
  options.attempt_timeout = std::min(options.attempt_timeout, options.query_timeout);
  return options;
}

CheckHostRequest CheckHostRequestFor(const SpfCommandArgs& args) {
  // The daemon's choice (spf_instance.cc): the MAIL FROM identity, or HELO
  // for a null reverse-path (RFC 7208 2.4).
  return MailFromRequest(args.ip, args.sender, args.helo);
}

std::string FormatSpfText(const SpfOutcome& outcome) {
  std::string line(ResultName(outcome.result));
  const std::string& detail = outcome.explanation.empty() ? outcome.reason : outcome.explanation;
  if (!detail.empty()) line += " (" + PrintableAscii(detail, 1024) + ")";
  return line + "\n";
}

std::string FormatSpfJson(const SpfOutcome& outcome) {
  std::string json = "{\"result\": " + JsonString(ResultName(outcome.result));
  if (!outcome.explanation.empty()) json += ", \"explanation\": " + JsonString(outcome.explanation);
  return json + "}\n";
}

int RunSpfCommand(const std::vector<std::string>& args, const ResolverFactory& factory,
                  std::FILE* out, std::FILE* err) {
  std::string error;
  auto parsed = ParseSpfCommandArgs(args, &error);
  if (!parsed) {
    std::fprintf(err, "portcullis spf: %s\n%s", error.c_str(), kSpfCommandHelp);
    return 2;
  }
  if (parsed->help) {
    std::fputs(kSpfCommandHelp, out);
    return 0;
  }
  auto resolver = factory(ResolverOptionsFor(*parsed), &error);
  if (!resolver) {
    std::fprintf(err, "portcullis spf: no resolver: %s\n", error.c_str());
    return 1;
  }
  EvaluationOptions options;
  options.deadline = Deadline::After(std::chrono::milliseconds(parsed->timeout_ms));
  const SpfOutcome outcome = CheckHostAndWait(*resolver, CheckHostRequestFor(*parsed), options);
  const std::string text = parsed->json ? FormatSpfJson(outcome) : FormatSpfText(outcome);
  std::fputs(text.c_str(), out);
  std::fflush(out);
  return 0;
}

}  // namespace portcullis::spf
