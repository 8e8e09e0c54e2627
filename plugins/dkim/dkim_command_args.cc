#include "dkim_command_args.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>

#include "dkim_message_file.h"
#include "portcullis/command_args.h"
#include "dkim_verifier.h"

namespace portcullis::dkim {
namespace {

// A JSON string literal (RFC 8259 7). Message and DNS text may hold any
// byte: controls become \u00XX, bytes above 0x7e '?', so the output is
// always valid ASCII JSON.
std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", byte);
      out += buffer;
    } else if (byte > 0x7e) {
      out.push_back('?');
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

std::string Printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e) c = '?';
  }
  return out;
}

}  // namespace

std::optional<DkimVerifyArgs> ParseDkimVerifyArgs(const std::vector<std::string>& args,
                                                  std::string* error) {
  auto common = ParseCommandArgs(args, {"--dns", "--dns-timeout-ms"}, {"--json"}, 1, error);
  if (!common) return std::nullopt;
  DkimVerifyArgs parsed;
  if (common->help) {
    parsed.help = true;
    return parsed;
  }
  if (common->positional.empty()) {
    *error = "a message file is required";
    return std::nullopt;
  }
  parsed.file = common->positional.front();
  parsed.dns = common->Value("--dns");
  parsed.json = common->flags.count("--json") > 0;
  if (common->Has("--dns-timeout-ms")) {
    auto timeout = ParseBoundedInteger(common->Value("--dns-timeout-ms"), 1, kMaxDnsTimeoutMs);
    if (!timeout) {
      *error = "--dns-timeout-ms: want 1 to " + std::to_string(kMaxDnsTimeoutMs);
      return std::nullopt;
    }
    parsed.timeout_ms = static_cast<int>(*timeout);
  }
  return parsed;
}

dns::ResolverOptions ResolverOptionsFor(const DkimVerifyArgs& args) {
  return CommandResolverOptions(args.dns, std::chrono::milliseconds(args.timeout_ms));
}

std::string OverallResultName(const std::vector<SignatureResult>& results) {
  return std::string(CheckStatusName(OverallStatus(results)));
}

std::string FormatDkimJson(const std::vector<SignatureResult>& results) {
  std::string json = "{\"signatures\": [";
  for (size_t i = 0; i < results.size(); ++i) {
    const SignatureResult& r = results[i];
    if (i > 0) json += ", ";
    json += "{\"domain\": " + JsonString(r.domain) + ", \"selector\": " + JsonString(r.selector) +
            ", \"algorithm\": " + JsonString(r.algorithm) +
            ", \"result\": " + JsonString(DkimResultName(r.result)) +
            ", \"reason\": " + JsonString(r.reason) + "}";
  }
  json += "], \"result\": " + JsonString(OverallResultName(results)) + "}\n";
  return json;
}

std::string FormatDkimText(const std::vector<SignatureResult>& results) {
  std::string text;
  for (const SignatureResult& r : results) {
    text += std::string(DkimResultName(r.result)) + " d=" + Printable(r.domain) +
            " s=" + Printable(r.selector) + " a=" + Printable(r.algorithm);
    if (!r.reason.empty()) text += " (" + Printable(r.reason) + ")";
    text += "\n";
  }
  text += "result: " + OverallResultName(results) + "\n";
  return text;
}

int RunDkimVerifyCommand(const std::vector<std::string>& args, const ResolverFactory& factory,
                         int64_t now_unix, std::FILE* out, std::FILE* err) {
  std::string error;
  auto parsed = ParseDkimVerifyArgs(args, &error);
  if (!parsed) {
    std::fprintf(err, "portcullis dkim-verify: %s\n%s", error.c_str(), kDkimVerifyHelp);
    return 2;
  }
  if (parsed->help) {
    std::fputs(kDkimVerifyHelp, out);
    return 0;
  }
  std::ifstream in(parsed->file, std::ios::binary);
  if (!in) {
    std::fprintf(err, "portcullis dkim-verify: cannot read %s\n", parsed->file.c_str());
    return 1;
  }
  std::string raw;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    raw.append(buffer, static_cast<size_t>(in.gcount()));
    if (raw.size() > kMaxMessageFileBytes) {
      std::fprintf(err, "portcullis dkim-verify: %s is larger than %zu bytes\n",
                   parsed->file.c_str(), kMaxMessageFileBytes);
      return 1;
    }
  }
  if (in.bad()) {
    std::fprintf(err, "portcullis dkim-verify: cannot read %s\n", parsed->file.c_str());
    return 1;
  }
  auto resolver = factory(ResolverOptionsFor(*parsed), &error);
  if (!resolver) {
    std::fprintf(err, "portcullis dkim-verify: no resolver: %s\n", error.c_str());
    return 1;
  }
  const StoredMessage message = ParseStoredMessage(raw);
  VerifierOptions options;
  options.key_timeout = std::chrono::milliseconds(parsed->timeout_ms);
  // The daemon's code path: MessageVerifier fed header by header.
  const std::vector<SignatureResult> results = VerifyMessage(
      message.headers, message.body, resolver.get(),
      Deadline::After(std::chrono::milliseconds(parsed->timeout_ms)), now_unix, options);
  const std::string text = parsed->json ? FormatDkimJson(results) : FormatDkimText(results);
  std::fputs(text.c_str(), out);
  std::fflush(out);
  return 0;
}

}  // namespace portcullis::dkim
