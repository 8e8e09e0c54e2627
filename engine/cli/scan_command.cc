// `portcullis scan`: the daemon's pipeline run offline over a stored
// message, with the envelope given on the command line.
#include <cstdio>

#include "cli_args.h"
#include "config/lua_config_loader.h"
#include "config/snapshot.h"
#include "pipeline/session.h"
#include "portcullis/log.h"
#include "util/json_writer.h"
#include "util/message_file.h"

namespace portcullis {
namespace {

const char kScanHelp[] =
    "usage: portcullis scan [-c FILE] [--ip ADDR] [--helo NAME] [--from ADDR]\n"
    "                       [--rcpt ADDR]... [--dns HOST:PORT]... [--json] FILE.eml\n"
    "\n"
    "Runs the message through the same checks and policy as the daemon, as if\n"
    "it arrived from ADDR with that envelope, and prints the verdict, score,\n"
    "symbols and header changes. The raw file is also shown to checks that\n"
    "look for what an MTA would normalise (bare line feeds). Exit 0 after a\n"
    "scan whatever the verdict, 1 when the file cannot be read, 2 on bad usage\n"
    "or config.\n";

struct ScanOutcome {
  std::string stage = "end of message";  // where the verdict came from
  Verdict verdict;
  Report report;
  std::vector<HeaderEdit> edits;
};

bool Refused(const StageReply& reply, const char* stage, ScanOutcome* outcome) {
  if (reply.kind != StageReply::Kind::kReject && reply.kind != StageReply::Kind::kTempfail) {
    return false;
  }
  outcome->stage = stage;
  outcome->verdict.action =
      reply.kind == StageReply::Kind::kReject ? Action::kReject : Action::kTempfail;
  outcome->verdict.smtp_code = reply.smtp_code;
  outcome->verdict.enhanced_code = reply.enhanced_code;
  outcome->verdict.text = reply.text;
  outcome->verdict.source = "check";
  return true;
}

ScanOutcome Run(Session& session, const CliArgs& args, const std::string& raw) {
  ScanOutcome outcome;
  ConnectionInfo info;
  std::string ip = args.Value("--ip");
  info.client_addr = IpAddress::Parse(ip);
  info.client_addr_text = info.client_addr ? info.client_addr->ToString() : "local";
  info.client_name = "unknown";
  if (Refused(session.Connect(info), "connect", &outcome)) return outcome;
  if (!args.Value("--helo").empty() &&
      Refused(session.Helo(args.Value("--helo")), "HELO", &outcome)) {
    return outcome;
  }
  if (Refused(session.MailFrom(args.Value("--from")), "MAIL FROM", &outcome)) return outcome;
  std::vector<std::string> accepted;
  std::string last_refusal;
  for (const std::string& rcpt : args.Values("--rcpt")) {
    ScanOutcome refused;
    if (Refused(session.Rcpt(rcpt), "RCPT TO", &refused)) {
      outcome = refused;
      last_refusal = rcpt;
      continue;
    }
    accepted.push_back(rcpt);
  }
  if (!last_refusal.empty() && accepted.empty()) return outcome;
  MessageParts parts = SplitMessageFile(raw);
  for (HeaderField& header : parts.headers) {
    session.Header(std::move(header.name), std::move(header.value));
  }
  session.EndOfHeaders();
  // Feed the body in chunks like an MTA does, so streaming code is exercised.
  constexpr size_t kChunk = 65536;
  for (size_t pos = 0; pos < parts.body.size(); pos += kChunk) {
    if (session.Body(std::string_view(parts.body).substr(pos, kChunk)).kind ==
        StageReply::Kind::kSkip) {
      break;
    }
  }
  session.RawMessage(raw);
  EndOfMessageOutcome end = session.EndOfMessage();
  outcome.stage = "end of message";
  outcome.verdict = end.verdict;
  outcome.report = std::move(end.report);
  outcome.edits = std::move(end.edits);
  return outcome;
}

void PrintText(const ScanOutcome& outcome) {
  const Verdict& verdict = outcome.verdict;
  std::printf("verdict: %s", std::string(ActionName(verdict.action)).c_str());
  if (verdict.action == Action::kReject || verdict.action == Action::kTempfail) {
    std::printf(" %s %s %s", verdict.smtp_code.c_str(), verdict.enhanced_code.c_str(),
                verdict.text.c_str());
  }
  std::printf(" (at %s)\n", outcome.stage.c_str());
  if (!verdict.reason.empty()) std::printf("reason: %s\n", verdict.reason.c_str());
  std::printf("score: %.2f\n", outcome.report.score);
  for (const CheckResult& result : outcome.report.results) {
    std::printf("check %s: %s\n", result.check.c_str(),
                std::string(CheckStatusName(result.status)).c_str());
    for (const Symbol& symbol : result.symbols) {
      std::printf("  %-28s %7.2f  %s\n", symbol.name.c_str(), symbol.score,
                  symbol.detail.c_str());
    }
  }
  for (const HeaderEdit& edit : outcome.edits) {
    if (edit.kind == HeaderEdit::Kind::kDelete) {
      std::printf("remove header: %s #%d\n", edit.name.c_str(), edit.index);
    } else {
      std::printf("add header: %s: %s\n", edit.name.c_str(), edit.value.c_str());
    }
  }
}

void PrintJson(const ScanOutcome& outcome) {
  const Verdict& verdict = outcome.verdict;
  std::string out = "{\"verdict\": " + JsonString(ActionName(verdict.action));
  out += ", \"stage\": " + JsonString(outcome.stage);
  out += ", \"code\": " + JsonString(verdict.smtp_code);
  out += ", \"xcode\": " + JsonString(verdict.enhanced_code);
  out += ", \"text\": " + JsonString(verdict.text);
  out += ", \"reason\": " + JsonString(verdict.reason);
  out += ", \"score\": " + JsonNumber(outcome.report.score);
  out += ", \"checks\": {";
  bool first_check = true;
  for (const CheckResult& result : outcome.report.results) {
    out += std::string(first_check ? "" : ", ") + JsonString(result.check) + ": {\"status\": " +
           JsonString(CheckStatusName(result.status)) + ", \"symbols\": [";
    first_check = false;
    for (size_t i = 0; i < result.symbols.size(); ++i) {
      const Symbol& symbol = result.symbols[i];
      out += std::string(i ? ", " : "") + "{\"name\": " + JsonString(symbol.name) +
             ", \"score\": " + JsonNumber(symbol.score) +
             ", \"detail\": " + JsonString(symbol.detail) + "}";
    }
    out += "]}";
  }
  out += "}, \"headers\": [";
  bool first_edit = true;
  for (const HeaderEdit& edit : outcome.edits) {
    if (edit.kind == HeaderEdit::Kind::kDelete) continue;
    out += std::string(first_edit ? "" : ", ") + "{\"name\": " + JsonString(edit.name) +
           ", \"value\": " + JsonString(edit.value) + "}";
    first_edit = false;
  }
  out += "]}\n";
  std::fputs(out.c_str(), stdout);
}

}  // namespace

int ScanCommand(int argc, char** argv) {
  CliArgs args(argc, argv, {"-c", "--config", "--ip", "--helo", "--from", "--rcpt", "--dns"});
  if (int status = HandleHelpAndUsage(args, "scan", kScanHelp, 1); status >= 0) return status;
  if (!args.Value("--ip").empty() && !IpAddress::Parse(args.Value("--ip"))) {
    std::fprintf(stderr, "portcullis scan: --ip %s is not an IP address\n",
                 args.Value("--ip").c_str());
    return 2;
  }
  LogToStderr(LogLevel::kWarning);
  auto snapshot = LoadSnapshotOrReport(args, /*offline=*/true);
  if (!snapshot) return 2;
  std::string raw;
  std::string error;
  if (!ReadTextFile(args.positional()[0], &raw, &error)) {
    std::fprintf(stderr, "portcullis scan: %s\n", error.c_str());
    return 1;
  }
  Session session([snapshot] { return snapshot; });
  ScanOutcome outcome = Run(session, args, raw);
  if (args.Flag("--json")) {
    PrintJson(outcome);
  } else {
    PrintText(outcome);
  }
  return 0;
}

}  // namespace portcullis
