#include "greylist_config.h"

#include <charconv>
#include <cmath>

#include "list_loader.h"
#include "portcullis/smtp_reply.h"

namespace portcullis::greylist {
namespace {

// "1m30s" is not accepted: one number, one optional unit.
std::string DurationHelp() {
  return "a number of seconds or a string like \"300s\", \"5m\", \"48h\", \"35d\"";
}

std::string Describe(Seconds value) {
  const int64_t s = value.count();
  if (s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

Seconds ReadDuration(ConfigReader& options, std::string_view key, Seconds default_value,
                     Seconds min, Seconds max, bool* ok) {
  const ConfigValue* value = options.Raw(key);
  if (!value) return default_value;
  std::optional<Seconds> parsed;
  if (value->type == ConfigValue::Type::kNumber) {
    if (value->number >= 0 && value->number == std::floor(value->number) && value->number < 1e12) {
      parsed = Seconds(static_cast<int64_t>(value->number));
    }
  } else if (value->type == ConfigValue::Type::kString) {
    parsed = ParseDuration(value->string);
  }
  if (!parsed) {
    options.Error(key, "expected " + DurationHelp());
    *ok = false;
    return default_value;
  }
  if (*parsed < min || *parsed > max) {
    options.Error(key, "must be between " + Describe(min) + " and " + Describe(max));
    *ok = false;
    return default_value;
  }
  return *parsed;
}

// Inline entries (`key`) and entry files (`key`_files) into `add`; when the
// inline key is absent, `defaults` are used. Returns false on any bad entry.
template <typename Add>
bool LoadList(ConfigReader& options, const std::string& key, const std::string& config_dir,
              const std::vector<std::string>& defaults, Add add) {
  bool ok = true;
  const std::vector<std::string> entries = options.Has(key) ? options.StringList(key) : defaults;
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string error = add(entries[i]);
    if (!error.empty()) {
      options.Error(key, "item " + std::to_string(i + 1) + ": '" + entries[i] + "': " + error);
      ok = false;
    }
  }
  const std::string files_key = key + "_files";
  for (const std::string& path : options.StringList(files_key)) {
    std::string content;
    std::string error;
    const std::string resolved = lists::ResolvePath(config_dir, path);
    if (!ReadListFile(resolved, &content, &error)) {
      options.Error(files_key, error);
      ok = false;
      continue;
    }
    std::vector<std::string> file_errors;
    AddEntriesFromText(content, resolved, add, &file_errors);
    for (const std::string& file_error : file_errors) options.Error(files_key, file_error);
    ok = ok && file_errors.empty();
  }
  return ok;
}

bool IsSymbolName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() < 'A' || name.front() > 'Z') return false;
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool ReadSkip(ConfigReader& options, GreylistConfig* config) {
  bool ok = true;
  ConfigReader skip = options.Table("skip");
  config->skip_authenticated = skip.Boolean("authenticated", true);
  config->skip_spf_pass = skip.Boolean("spf_pass", true);
  config->skip_symbols = skip.StringList("symbols");
  for (const std::string& symbol : config->skip_symbols) {
    if (!IsSymbolName(symbol)) {
      skip.Error("symbols", "'" + symbol + "' is not an UPPER_SNAKE symbol name");
      ok = false;
    }
  }
  // Loopback: local submissions and content filters re-injecting mail.
  const std::vector<std::string> default_networks = {"127.0.0.0/8", "::1"};
  std::vector<std::string> networks =
      skip.Has("networks") ? skip.StringList("networks") : default_networks;
  for (const std::string& network : networks) {
    std::string error = config->skip_networks.Add(network);
    if (!error.empty()) {
      skip.Error("networks", "'" + network + "': " + error);
      ok = false;
    }
  }
  config->skip_networks.Build();
  return ok;
}

bool ReadSender(ConfigReader& options, GreylistConfig* config) {
  SenderOptions& sender = config->sender;
  sender.lower_case = options.Boolean("sender_lower_case", true);
  sender.strip_batv = options.Boolean("sender_strip_batv", true);
  sender.strip_srs = options.Boolean("sender_strip_srs", true);
  sender.strip_subaddress = options.Boolean("sender_strip_subaddress", true);
  sender.replace_digits = options.Boolean("sender_replace_digits", true);
  sender.separators = options.String("subaddress_separators", "+");
  config->recipient_strip_subaddress = options.Boolean("recipient_strip_subaddress", false);
  for (char c : sender.separators) {
    if (c == '@' || static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f) {
      options.Error("subaddress_separators", "must be printable characters other than '@'");
      return false;
    }
  }
  if ((sender.strip_subaddress || config->recipient_strip_subaddress) &&
      sender.separators.empty()) {
    options.Error("subaddress_separators", "is empty but sub-address stripping is on");
    return false;
  }
  return true;
}

bool ReadReply(ConfigReader& options, GreylistConfig* config) {
  config->tempfail_text = options.String("tempfail_text", config->tempfail_text);
  // Checked with the longest number it can hold, so a long text cannot pass
  // here and overflow the reply line later.
  const std::string sample = config->ReplyText(config->retry_window);
  if (!IsSafeReplyText(sample)) {
    options.Error("tempfail_text", "must be 1 to " + std::to_string(kMaxReplyText) +
                                       " printable characters, no line breaks");
    return false;
  }
  return true;
}

bool ReadScores(ConfigReader& options, GreylistConfig* config) {
  bool ok = true;
  for (const auto& [name, score] : options.NumberMap("scores")) {
    std::optional<Decision> decision = DecisionForSymbol(name);
    if (!decision) {
      options.Error("scores", "unknown symbol '" + name + "' (GREYLIST_NEW, GREYLIST_EARLY, ...)");
      ok = false;
    } else if (score < kMinScore || score > kMaxScore) {
      options.Error("scores", name + " must be between -100 and 100");
      ok = false;
    } else {
      config->scores[static_cast<size_t>(*decision)] = score;
    }
  }
  return ok;
}

}  // namespace

std::optional<Seconds> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t unit = 1;
  switch (text.back()) {
    case 's': text.remove_suffix(1); break;
    case 'm':
      unit = 60;
      text.remove_suffix(1);
      break;
    case 'h':
      unit = 3600;
      text.remove_suffix(1);
      break;
    case 'd':
      unit = 86400;
      text.remove_suffix(1);
      break;
    default: break;
  }
  int64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || number < 0 ||
      number > (int64_t{1} << 40) / unit) {
    return std::nullopt;
  }
  return Seconds(number * unit);
}

std::string GreylistConfig::ReplyText(Seconds retry_in) const {
  std::string text = tempfail_text;
  const std::string_view placeholder = kSecondsPlaceholder;
  const size_t at = text.find(placeholder);
  if (at != std::string::npos)
    text.replace(at, placeholder.size(), std::to_string(retry_in.count()));
  return text;
}

std::shared_ptr<const GreylistConfig> ReadGreylistConfig(ConfigReader& options,
                                                         const std::string& config_dir,
                                                         std::string_view builtin_providers) {
  auto config = std::make_shared<GreylistConfig>();
  bool ok = true;
  config->delay = ReadDuration(options, "delay", config->delay, Seconds(1), Seconds(86400), &ok);
  config->retry_window = ReadDuration(options, "retry_window", config->retry_window, Seconds(60),
                                      Seconds(30 * 86400), &ok);
  config->max_age =
      ReadDuration(options, "max_age", config->max_age, Seconds(86400), Seconds(365 * 86400), &ok);
  config->log_interval =
      ReadDuration(options, "log_interval", config->log_interval, Seconds(1), Seconds(86400), &ok);
  if (ok && config->retry_window <= config->delay) {
    options.Error("retry_window", "must be longer than delay, or no retry could ever pass");
    ok = false;
  }
  if (ok && config->max_age < config->retry_window) {
    options.Error("max_age", "must not be shorter than retry_window");
    ok = false;
  }
  config->ipv4_prefix = static_cast<int>(options.Integer("ipv4_prefix", 24, 8, 32));
  config->ipv6_prefix = static_cast<int>(options.Integer("ipv6_prefix", 64, 16, 128));
  ok = ReadSender(options, config.get()) && ok;
  ok = ReadSkip(options, config.get()) && ok;
  config->early_wait = std::chrono::milliseconds(options.Integer("early_wait_ms", 200, 0, 5000));
  config->auto_allowlist_after = options.Integer("auto_allowlist_after", 5, 0, 1000000);
  config->store_timeout =
      std::chrono::milliseconds(options.Integer("store_timeout_ms", 100, 1, 5000));
  config->max_recipients = options.Integer("max_recipients", 100, 1, kMaxRecipientsLimit);
  ok = ReadReply(options, config.get()) && ok;
  ok = ReadScores(options, config.get()) && ok;

  Allowlists& allow = config->allowlists;
  ok = LoadList(options, "allowlist_clients", config_dir, {},
                [&](std::string_view entry) { return allow.AddClient(entry); }) &&
       ok;
  ok = LoadList(options, "allowlist_senders", config_dir, {},
                [&](std::string_view entry) { return allow.AddSender(entry); }) &&
       ok;
  // RFC 5321 4.5.1 (postmaster) and RFC 2142 (abuse): role addresses that
  // must reach a human without delay, e.g. a complaint about our own mail.
  ok = LoadList(options, "allowlist_recipients", config_dir, {"postmaster", "abuse"},
                [&](std::string_view entry) { return allow.AddRecipient(entry); }) &&
       ok;
  config->builtin_allowlist = options.Boolean("builtin_allowlist", true);
  if (config->builtin_allowlist) {
    std::vector<std::string> errors;
    AddEntriesFromText(
        builtin_providers, "providers.txt (built in)",
        [&](std::string_view entry) { return allow.AddClient(entry); }, &errors);
    for (const std::string& error : errors) options.Error("builtin_allowlist", error);
    ok = ok && errors.empty();
  }
  allow.Build();
  if (!ok) return nullptr;
  return config;
}

}  // namespace portcullis::greylist
