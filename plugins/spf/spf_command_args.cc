#include "spf_command_args.h"

#include "portcullis/command_args.h"
#include "spf_text.h"

namespace portcullis::spf {

std::optional<SpfCommandArgs> ParseSpfCommandArgs(const std::vector<std::string>& args,
                                                  std::string* error) {
  auto common = ParseCommandArgs(args, {"--ip", "--helo", "--sender", "--dns", "--dns-timeout-ms"},
                                 {"--json"}, 0, error);
  if (!common) return std::nullopt;
  SpfCommandArgs parsed;
  if (common->help) {
    parsed.help = true;
    return parsed;
  }
  auto fail = [&](std::string message) -> std::optional<SpfCommandArgs> {
    *error = std::move(message);
    return std::nullopt;
  };
  if (!common->Has("--ip")) return fail("--ip is required");
  if (!common->Has("--helo")) return fail("--helo is required");
  const std::string ip = common->Value("--ip");
  auto address = IpAddress::Parse(ip);
  if (!address) return fail("--ip: '" + ip + "' is not an IP address");
  parsed.ip = *address;
  parsed.helo = common->Value("--helo");
  parsed.sender = common->Value("--sender");
  parsed.dns = common->Value("--dns");
  parsed.json = common->flags.count("--json") > 0;
  if (common->Has("--dns-timeout-ms")) {
    auto timeout = ParseBoundedInteger(common->Value("--dns-timeout-ms"), 1, kMaxDnsTimeoutMs);
    if (!timeout) return fail("--dns-timeout-ms: want 1 to " + std::to_string(kMaxDnsTimeoutMs));
    parsed.timeout_ms = static_cast<int>(*timeout);
  }
  return parsed;
}

dns::ResolverOptions ResolverOptionsFor(const SpfCommandArgs& args) {
  return CommandResolverOptions(args.dns, std::chrono::milliseconds(args.timeout_ms));
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
