#include "greylist_command.h"

#include <ctime>

#include "greylist_admin.h"
#include "portcullis/command_args.h"
#include "portcullis/command_registry.h"
#include "portcullis/engine_settings.h"

namespace portcullis::greylist {
namespace {

// Listing walks the whole store; a minute is plenty for millions of keys
// on LMDB and keeps a hung Redis from hanging the shell.
constexpr std::chrono::seconds kCommandTimeout{60};
constexpr int64_t kDefaultListLimit = 1000;
constexpr int64_t kMaxAllowDays = 3650;
constexpr int64_t kDefaultAllowDays = 365;

constexpr const char* kUsage =
    "usage: portcullis greylist list [--json] [--limit N]\n"
    "       portcullis greylist show --client IP --sender S --rcpt R\n"
    "       portcullis greylist delete --client IP --sender S --rcpt R\n"
    "       portcullis greylist delete --network NET\n"
    "       portcullis greylist allow NET_OR_IP [--days N]\n"
    "       portcullis greylist unallow NET_OR_IP\n"
    "options for all: -c CONFIG (the daemon's config: which store),\n"
    "  --ipv4-prefix N, --ipv6-prefix N (as checks.greylist; default 24, 64).\n"
    "--sender '<>' (or '') is the null sender. Senders and recipients are\n"
    "normalised as the check does by default (lower case, BATV, SRS,\n"
    "sub-address, digit runs).\n";

int Usage(FILE* err, const std::string& problem) {
  if (!problem.empty()) std::fprintf(err, "greylist: %s\n", problem.c_str());
  std::fputs(kUsage, err);
  return 2;
}

std::string IsoTime(int64_t unix_seconds) {
  std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (!gmtime_r(&time, &tm)) return std::to_string(unix_seconds);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

int64_t Unix(store::Clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
}

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;  // UTF-8 passes through; other bytes were escaped in the key
    }
  }
  return out + "\"";
}

std::string TextLine(const ListedEntry& entry) {
  const std::string expires = " expires=" + IsoTime(Unix(entry.expires));
  switch (entry.kind) {
    case ListedEntry::Kind::kTriplet: {
      std::string state = "unreadable value '" + entry.raw + "'";
      if (entry.value && entry.value->passed) {
        state = "passed first_seen=" + IsoTime(entry.value->first_seen) +
                " passed_at=" + IsoTime(entry.value->passed_at);
      } else if (entry.value) {
        state = "pending first_seen=" + IsoTime(entry.value->first_seen);
      }
      return "triplet " + entry.network + " " + EscapeKeyPart(entry.triplet.sender) + " " +
             EscapeKeyPart(entry.triplet.recipient) + " " + state + expires;
    }
    case ListedEntry::Kind::kCounter:
      return "network " + entry.network + " passes=" + std::to_string(entry.passes) + expires;
    case ListedEntry::Kind::kAllow:
      return "allow " + entry.network + " added=" + IsoTime(entry.added_at) + expires;
    case ListedEntry::Kind::kOther: break;
  }
  return "other " + EscapeKeyPart(entry.key) + expires;
}

std::string JsonObject(const ListedEntry& entry) {
  static constexpr const char* kKinds[] = {"triplet", "network", "allow", "other"};
  std::string json = "{\"kind\":" + JsonString(kKinds[static_cast<int>(entry.kind)]) +
                     ",\"key\":" + JsonString(entry.key);
  if (!entry.network.empty()) json += ",\"network\":" + JsonString(entry.network);
  if (entry.kind == ListedEntry::Kind::kTriplet) {
    json += ",\"sender\":" + JsonString(entry.triplet.sender) +
            ",\"recipient\":" + JsonString(entry.triplet.recipient);
    if (entry.value) {
      json += ",\"state\":" + JsonString(entry.value->passed ? "passed" : "pending") +
              ",\"first_seen\":" + std::to_string(entry.value->first_seen);
      if (entry.value->passed) json += ",\"passed_at\":" + std::to_string(entry.value->passed_at);
    }
  } else if (entry.kind == ListedEntry::Kind::kCounter) {
    json += ",\"passes\":" + std::to_string(entry.passes);
  } else if (entry.kind == ListedEntry::Kind::kAllow) {
    json += ",\"added_at\":" + std::to_string(entry.added_at);
  }
  return json + ",\"expires\":" + std::to_string(Unix(entry.expires)) + "}";
}

int StoreFailed(FILE* err, const std::string& error) {
  std::fprintf(err, "greylist: store unavailable: %s\n",
               error.empty() ? "no reason given" : error.c_str());
  return 1;
}

int RunList(store::Store& store, const CommandArgs& args, FILE* out, FILE* err) {
  int64_t limit = kDefaultListLimit;
  if (args.Has("--limit")) {
    std::optional<int64_t> parsed = ParseBoundedInteger(args.Value("--limit"), 1, 100000000);
    if (!parsed) return Usage(err, "--limit must be a number from 1");
    limit = *parsed;
  }
  ListResult listed =
      ListEntries(store, static_cast<size_t>(limit), Deadline::After(kCommandTimeout));
  if (listed.status == store::Status::kUnavailable) return StoreFailed(err, listed.error);
  const bool json = args.flags.count("--json") > 0;
  if (json) std::fputs("[", out);
  for (size_t i = 0; i < listed.entries.size(); ++i) {
    const std::string line = json ? JsonObject(listed.entries[i]) : TextLine(listed.entries[i]);
    if (json) {
      std::fprintf(out, "%s%s", i > 0 ? "," : "", line.c_str());
    } else {
      std::fprintf(out, "%s\n", line.c_str());
    }
  }
  if (json) std::fputs("]\n", out);
  if (listed.truncated) {
    std::fprintf(err, "greylist: stopped after %lld entries (--limit)\n",
                 static_cast<long long>(limit));
  }
  return 0;
}

std::optional<Triplet> TripletFromArgs(const CommandArgs& args, const AdminTripletOptions& options,
                                       std::string* error) {
  for (const char* option : {"--client", "--sender", "--rcpt"}) {
    if (!args.Has(option)) {
      *error = "--client, --sender and --rcpt are required";
      return std::nullopt;
    }
  }
  if (args.Value("--rcpt").empty()) {
    *error = "--rcpt needs a value";
    return std::nullopt;
  }
  return MakeTriplet(options, args.Value("--client"), args.Value("--sender"), args.Value("--rcpt"),
                     error);
}

int RunShow(store::Store& store, const Triplet& triplet, FILE* out, FILE* err) {
  ShowResult shown = ShowTriplet(store, triplet, Deadline::After(kCommandTimeout));
  if (shown.status == store::Status::kUnavailable) return StoreFailed(err, shown.error);
  if (shown.allow) std::fprintf(out, "%s\n", TextLine(*shown.allow).c_str());
  if (shown.counter) std::fprintf(out, "%s\n", TextLine(*shown.counter).c_str());
  if (!shown.triplet) {
    std::fprintf(out, "no entry for %s %s %s\n", triplet.network.c_str(),
                 EscapeKeyPart(triplet.sender).c_str(), EscapeKeyPart(triplet.recipient).c_str());
    return 1;
  }
  std::fprintf(out, "%s\n", TextLine(*shown.triplet).c_str());
  return 0;
}

int RunWrite(const store::WriteResult& written, const std::string& what, FILE* out, FILE* err) {
  if (written.status == store::Status::kUnavailable) return StoreFailed(err, written.error);
  if (written.status == store::Status::kNotFound) {
    std::fprintf(out, "no entry for %s\n", what.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int RunGreylistCommand(const std::vector<std::string>& args, const GreylistCommandEnv& env,
                       FILE* out, FILE* err) {
  std::string error;
  auto parsed = ParseCommandArgs(args,
                                 {"-c", "--config", "--limit", "--client", "--sender", "--rcpt",
                                  "--network", "--days", "--ipv4-prefix", "--ipv6-prefix"},
                                 {"--json"}, 2, &error);
  if (!parsed) return Usage(err, error);
  if (parsed->help) {
    std::fputs(kUsage, out);
    return 0;
  }
  if (parsed->positional.empty()) return Usage(err, "which subcommand?");
  const std::string command = parsed->positional[0];
  const size_t want_positional = command == "allow" || command == "unallow" ? 2 : 1;
  if (command != "list" && command != "show" && command != "delete" && command != "allow" &&
      command != "unallow") {
    return Usage(err, "unknown subcommand '" + command + "'");
  }
  if (parsed->positional.size() != want_positional) {
    return Usage(err, want_positional == 2 ? command + " needs one NET_OR_IP"
                                           : command + " takes no arguments besides options");
  }
  AdminTripletOptions options;
  if (parsed->Has("--ipv4-prefix")) {
    std::optional<int64_t> prefix = ParseBoundedInteger(parsed->Value("--ipv4-prefix"), 8, 32);
    if (!prefix) return Usage(err, "--ipv4-prefix must be 8 to 32");
    options.ipv4_prefix = static_cast<int>(*prefix);
  }
  if (parsed->Has("--ipv6-prefix")) {
    std::optional<int64_t> prefix = ParseBoundedInteger(parsed->Value("--ipv6-prefix"), 16, 128);
    if (!prefix) return Usage(err, "--ipv6-prefix must be 16 to 128");
    options.ipv6_prefix = static_cast<int>(*prefix);
  }

  // Everything the subcommand needs is checked before the store is opened.
  std::optional<Triplet> triplet;
  std::string network;
  int64_t days = kDefaultAllowDays;
  if (command == "show" || (command == "delete" && !parsed->Has("--network"))) {
    triplet = TripletFromArgs(*parsed, options, &error);
    if (!triplet) return Usage(err, error);
  } else if (command == "delete") {
    if (parsed->Has("--client") || parsed->Has("--sender") || parsed->Has("--rcpt")) {
      return Usage(err, "give --network or --client/--sender/--rcpt, not both");
    }
    std::optional<std::string> net = OperatorNetwork(
        parsed->Value("--network"), options.ipv4_prefix, options.ipv6_prefix, &error);
    if (!net) return Usage(err, error);
    network = *net;
  } else if (command == "allow" || command == "unallow") {
    std::optional<std::string> net =
        OperatorNetwork(parsed->positional[1], options.ipv4_prefix, options.ipv6_prefix, &error);
    if (!net) return Usage(err, error);
    network = *net;
    if (parsed->Has("--days")) {
      if (command != "allow") return Usage(err, "--days is for allow");
      std::optional<int64_t> parsed_days =
          ParseBoundedInteger(parsed->Value("--days"), 1, kMaxAllowDays);
      if (!parsed_days) return Usage(err, "--days must be 1 to " + std::to_string(kMaxAllowDays));
      days = *parsed_days;
    }
  }

  bool config_error = false;
  std::shared_ptr<store::Store> store =
      env.open(parsed->Value("-c", parsed->Value("--config")), &error, &config_error);
  if (!store) {
    std::fprintf(err, "greylist: %s\n", error.c_str());
    return config_error ? 2 : 1;
  }
  const Deadline deadline = Deadline::After(kCommandTimeout);
  if (command == "list") return RunList(*store, *parsed, out, err);
  if (command == "show") return RunShow(*store, *triplet, out, err);
  if (command == "delete" && triplet) {
    return RunWrite(DeleteTriplet(*store, *triplet, deadline),
                    triplet->network + " " + EscapeKeyPart(triplet->sender) + " " +
                        EscapeKeyPart(triplet->recipient),
                    out, err);
  }
  if (command == "delete") {
    DeleteNetworkResult deleted = DeleteNetwork(*store, network, deadline);
    if (deleted.status == store::Status::kUnavailable) return StoreFailed(err, deleted.error);
    std::fprintf(out, "deleted %zu entries of %s\n", deleted.deleted, network.c_str());
    return deleted.status == store::Status::kOk ? 0 : 1;
  }
  if (command == "allow") {
    const int code =
        RunWrite(AllowNetwork(*store, network, std::chrono::hours(24 * days), env.now(), deadline),
                 network, out, err);
    if (code == 0)
      std::fprintf(out, "allowed %s for %lld days\n", network.c_str(),
                   static_cast<long long>(days));
    return code;
  }
  return RunWrite(UnallowNetwork(*store, network, deadline), network, out, err);
}

GreylistCommandEnv SystemGreylistCommandEnv() {
  GreylistCommandEnv env;
  env.open = [](const std::string& config, std::string* error, bool* config_error) {
    EngineSettings settings;
    if (!LoadEngineSettings(config, &settings, error)) {
      *config_error = true;
      return std::shared_ptr<store::Store>();
    }
    return OpenStateStore(settings, error);
  };
  env.now = [] { return store::Clock::now(); };
  return env;
}

namespace {

int Run(const std::vector<std::string>& args) {
  return RunGreylistCommand(args, SystemGreylistCommandEnv(), stdout, stderr);
}

}  // namespace
}  // namespace portcullis::greylist

PORTCULLIS_REGISTER_COMMAND(greylist,
                            "list, show, delete and allow greylisting entries in the state store",
                            portcullis::greylist::Run);
