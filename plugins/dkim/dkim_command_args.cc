#include "dkim_command_args.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>

#include "dkim_message_file.h"
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
  DkimVerifyArgs parsed;
  std::string timeout;
  bool have_file = false;
  auto fail = [&](std::string message) -> std::optional<DkimVerifyArgs> {
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
    if (name == "--dns") {
      target = &parsed.dns;
    } else if (name == "--dns-timeout-ms") {
      target = &timeout;
    } else if (name.rfind("-", 0) == 0 && name != "-") {
      return fail("unknown option " + name);
    } else {
      if (have_file) return fail("unexpected argument " + name);
      parsed.file = name;
      have_file = true;
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size()) return fail("option " + name + " needs a value");
      value = args[++i];
    }
    *target = *value;
  }
  if (!have_file) return fail("a message file is required");
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

dns::ResolverOptions ResolverOptionsFor(const DkimVerifyArgs& args) {
  dns::ResolverOptions options;
  if (!args.dns.empty()) options.servers = {args.dns};
  options.query_timeout = std::chrono::milliseconds(args.timeout_ms);
  options.attempt_timeout = std::min(options.attempt_timeout, options.query_timeout);
  return options;
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
