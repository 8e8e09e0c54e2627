#include "dnsbl_config.h"

#include <cstdlib>

#include "dnsbl_answer.h"
#include "dnsbl_names.h"
#include "portcullis/ip_address.h"
#include "portcullis/smtp_reply.h"

namespace portcullis::dnsbl {
namespace {

uint32_t ToNumber(const IpAddress& address) {
  const uint8_t* b = address.bytes();
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

std::optional<uint32_t> ParseV4(std::string_view text) {
  std::optional<IpAddress> address = IpAddress::Parse(text);
  if (!address || !address->is_v4()) return std::nullopt;
  return ToNumber(*address);
}

struct CodeRange {
  uint32_t first = 0;
  uint32_t last = 0;
};

// "127.0.0.2", "127.0.0.4/30" or "127.0.0.4-127.0.0.7".
std::optional<CodeRange> ParseCodeRange(std::string_view text) {
  if (size_t dash = text.find('-'); dash != std::string_view::npos) {
    auto first = ParseV4(text.substr(0, dash));
    auto last = ParseV4(text.substr(dash + 1));
    if (!first || !last || *first > *last) return std::nullopt;
    return CodeRange{*first, *last};
  }
  if (text.find('/') != std::string_view::npos) {
    std::optional<IpNetwork> network = IpNetwork::Parse(text);
    if (!network || !network->address.is_v4()) return std::nullopt;
    const uint32_t base = ToNumber(network->address);
    const uint32_t host_bits =
        network->prefix_length == 0 ? 0xffffffffu : (1u << (32 - network->prefix_length)) - 1;
    if ((base & host_bits) != 0) return std::nullopt;  // host bits set: probably a typo
    return CodeRange{base, base | host_bits};
  }
  auto code = ParseV4(text);
  if (!code) return std::nullopt;
  return CodeRange{*code, *code};
}

// "0x04" or "4": 1..255.
std::optional<uint8_t> ParseMask(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const unsigned long value = std::strtoul(text.c_str(), &end, 0);
  if (*end != '\0' || value == 0 || value > 255 || text.front() == '-') return std::nullopt;
  return static_cast<uint8_t>(value);
}

// { symbol = "NAME", score = N }: both required, so a code never hides a
// silent default.
std::optional<SymbolScore> ReadSymbolScore(ConfigReader& table) {
  bool ok = true;
  if (!table.Has("symbol")) {
    table.Error("symbol", "missing (an UPPER_SNAKE symbol name)");
    ok = false;
  }
  if (!table.Has("score")) {
    table.Error("score", "missing (a number)");
    ok = false;
  }
  SymbolScore symbol;
  symbol.symbol = table.String("symbol", "");
  symbol.score = table.Number("score", 0, kMinScore, kMaxScore);
  if (table.Has("symbol") && !IsSymbolName(symbol.symbol)) {
    table.Error("symbol", "'" + symbol.symbol + "' is not UPPER_SNAKE (A-Z, 0-9, _; at most " +
                              std::to_string(kMaxSymbolLength) + " characters)");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return symbol;
}

// A table of free-form keys ("127.0.0.2", "0x04") to symbol tables.
const ConfigValue* KeyedTable(ConfigReader& list, std::string_view key) {
  const ConfigValue* value = list.Raw(key);
  if (!value) return nullptr;
  if (value->type != ConfigValue::Type::kTable || !value->items.empty()) {
    list.Error(key, "expected a table of [\"code\"] = { symbol = ..., score = ... }");
    return nullptr;
  }
  return value;
}

void ReadCodes(ConfigReader& list, const std::string& file, ConfigErrors* errors, DnsblList* out) {
  if (const ConfigValue* codes = KeyedTable(list, "codes")) {
    for (const auto& [key, value] : codes->fields) {
      ConfigReader entry(&value, "codes[\"" + key + "\"]", file, errors);
      std::optional<CodeRange> range = ParseCodeRange(key);
      // { error = "what it means" } marks a refusal code; else a symbol.
      std::string error_text;
      std::optional<SymbolScore> symbol;
      if (entry.Has("error")) {
        error_text = entry.String("error", "");
        if (error_text.empty()) entry.Error("error", "must say what the code means");
        if (entry.Has("symbol") || entry.Has("score")) {
          entry.Error("error", "an error code has no symbol or score");
        }
        entry.Raw("symbol");
        entry.Raw("score");
        if (!error_text.empty()) symbol = SymbolScore{};
      } else {
        symbol = ReadSymbolScore(entry);
      }
      if (!range) {
        errors->Add(file, value.line,
                    "codes: '" + key +
                        "' is not an IPv4 code, CIDR range or first-last range (\"127.0.0.2\", "
                        "\"127.0.0.4/30\", \"127.0.0.4-127.0.0.7\")");
        continue;
      }
      if ((range->first & 0xff000000) != kLoopbackNet ||
          (range->last & 0xff000000) != kLoopbackNet) {
        errors->Add(file, value.line,
                    "codes: '" + key + "' is outside 127.0.0.0/8, where RFC 5782 2.3 puts answers");
        continue;
      }
      if (!IsListingCode(range->first) || !IsListingCode(range->last)) {
        errors->Add(file, value.line,
                    "codes: '" + key + "' overlaps 127.255.255.0/24, which lists use for errors");
        continue;
      }
      if (symbol) out->codes.push_back({range->first, range->last, *symbol, error_text});
    }
  }
  if (const ConfigValue* masks = KeyedTable(list, "masks")) {
    for (const auto& [key, value] : masks->fields) {
      ConfigReader entry(&value, "masks[\"" + key + "\"]", file, errors);
      std::optional<uint8_t> mask = ParseMask(key);
      std::optional<SymbolScore> symbol = ReadSymbolScore(entry);
      if (!mask) {
        errors->Add(file, value.line,
                    "masks: '" + key + "' is not a bit mask of the last octet (\"0x04\", 1-255)");
        continue;
      }
      if (symbol) out->masks.push_back({*mask, *symbol});
    }
  }
  if (list.Has("default")) {
    ConfigReader entry = list.Table("default");
    if (std::optional<SymbolScore> symbol = ReadSymbolScore(entry)) out->default_symbol = *symbol;
  }
}

uint8_t ReadIdentities(ConfigReader& list) {
  if (!list.Has("identities")) return kAllIdentities;
  uint8_t identities = 0;
  for (const std::string& name : list.StringList("identities")) {
    if (name == "sender") {
      identities |= kSender;
    } else if (name == "helo") {
      identities |= kHelo;
    } else if (name == "from") {
      identities |= kFrom;
    } else {
      list.Error("identities", "'" + name + "' is not one of: sender, helo, from");
    }
  }
  if (identities == 0) list.Error("identities", "names nothing to look up");
  return identities;
}

ActionRequest ReadRejectReply(ConfigReader& list, const std::string& zone, ListType type) {
  ActionRequest reply;
  reply.action = Action::kReject;
  reply.smtp_code = list.String("reject_code", "550");
  reply.enhanced_code = list.String("reject_enhanced_code", "5.7.1");
  reply.text =
      list.String("reject_text",
                  (type == ListType::kIp ? "Client host listed at " : "Domain listed at ") + zone);
  if (!IsReplyCode(reply.smtp_code, '5')) list.Error("reject_code", "must be a 5xx reply code");
  if (!IsEnhancedStatusCode(reply.enhanced_code, '5')) {
    list.Error("reject_enhanced_code", "must be an RFC 3463 code like 5.7.1");
  }
  if (!IsSafeReplyText(reply.text)) {
    list.Error("reject_text", "must be 1 to " + std::to_string(kMaxReplyText) +
                                  " printable characters, no line breaks");
  }
  return reply;
}

// One entry of `lists`. Errors go to `errors` (file:line inside the entry).
DnsblList ReadList(ConfigReader& list, const std::string& file, ConfigErrors* errors) {
  DnsblList out;
  const ConfigValue* zone = list.Raw("zone");
  if (!zone) {
    list.Error("zone", "missing (the list's DNS zone, e.g. \"zen.spamhaus.org\")");
  } else if (zone->type != ConfigValue::Type::kString) {
    list.Error("zone", "expected string, got " + std::string(ConfigValue::TypeName(zone->type)));
  } else if (std::optional<std::string> normal = NormaliseZone(zone->string)) {
    out.zone = *normal;
  } else {
    list.Error("zone", "'" + zone->string + "' is not a DNS zone name");
  }
  const std::string type = list.Choice("type", "ip", {"ip", "domain"});
  out.type = type == "domain" ? ListType::kDomain : ListType::kIp;
  if (out.type == ListType::kDomain) {
    out.identities = ReadIdentities(list);
    if (list.Has("ipv6")) list.Error("ipv6", "only for type = \"ip\"");
  } else {
    if (list.Has("identities")) list.Error("identities", "only for type = \"domain\"");
    out.ipv6 = list.Boolean("ipv6", true);
  }
  list.Raw(out.type == ListType::kDomain ? "ipv6" : "identities");  // reported above

  ReadCodes(list, file, errors, &out);
  if (out.codes.empty() && out.masks.empty() && !out.default_symbol && errors->empty()) {
    list.Error("codes", "the list has no codes, masks or default: it could never add a symbol");
  }

  out.action = list.Choice("action", "score", {"score", "reject"}) == "reject" ? ListAction::kReject
                                                                               : ListAction::kScore;
  out.allowlist = list.Boolean("allowlist", false);
  out.accept = list.Boolean("accept", false);
  if (out.allowlist && out.action == ListAction::kReject) {
    list.Error("action", "an allowlist never rejects; use action = \"score\"");
  }
  if (out.accept && !out.allowlist) list.Error("accept", "only for allowlist = true");
  out.reject_reply = ReadRejectReply(list, out.zone, out.type);
  out.self_test = list.Boolean("self_test", true);
  return out;
}

// ConfigReader does not hand out its error sink, so each list is read with
// its own sink and the errors are re-reported under `checks.dnsbl.lists`.
// Table items do not carry lines of their own (the loader gives them the
// line of `lists`), so the message names the entry by position and zone.
void ForwardErrors(ConfigReader& options, size_t index, const std::string& zone,
                   const ConfigErrors& local) {
  for (const std::string& error : local.all()) {
    // Local errors are ":LINE: message" (empty file name): drop the place.
    std::string message = error;
    if (size_t colon = message.find(": ");
        !message.empty() && message.front() == ':' && colon != std::string::npos) {
      message = message.substr(colon + 2);
    }
    options.Error("lists", "[" + std::to_string(index + 1) + "]" +
                               (zone.empty() ? "" : " " + zone) + ": " + message);
  }
}

}  // namespace

std::string IdentityNames(uint8_t identities) {
  std::string names;
  for (auto [bit, name] : {std::pair{kSender, "sender"}, {kHelo, "helo"}, {kFrom, "from"}}) {
    if (identities & bit) names += (names.empty() ? "" : ",") + std::string(name);
  }
  return names;
}

void ReadListCodes(ConfigReader& list, const std::string& file, ConfigErrors* errors,
                   DnsblList* out) {
  ReadCodes(list, file, errors, out);
}

bool IsSymbolName(std::string_view name) {
  if (name.empty() || name.size() > kMaxSymbolLength || name.front() < 'A' || name.front() > 'Z') {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool DnsblConfig::AnyRejectList() const {
  for (const DnsblList& list : lists) {
    if (list.Rejects()) return true;
  }
  return false;
}

std::shared_ptr<const DnsblConfig> ReadDnsblConfig(ConfigReader& options) {
  auto config = std::make_shared<DnsblConfig>();
  bool ok = true;

  const ConfigValue* lists = options.Raw("lists");
  if (!lists) {
    options.Error("lists", "missing: at least one list { zone = ..., codes = ... }");
    ok = false;
  } else if (lists->type != ConfigValue::Type::kTable || !lists->fields.empty()) {
    options.Error("lists", "expected a list of tables: lists = { { zone = ... }, ... }");
    ok = false;
  } else if (lists->items.empty() || lists->items.size() > kMaxLists) {
    options.Error("lists", "must hold 1 to " + std::to_string(kMaxLists) + " lists");
    ok = false;
  } else {
    for (size_t i = 0; i < lists->items.size(); ++i) {
      const ConfigValue& item = lists->items[i];
      ConfigErrors local;
      DnsblList list;
      if (item.type == ConfigValue::Type::kTable) {
        ConfigReader reader(&item, "", "", &local);  // unknown options go to `local` at "}"
        list = ReadList(reader, "", &local);
      } else {
        local.AddFormatted(":0: expected a table { zone = ..., ... }, got " +
                           std::string(ConfigValue::TypeName(item.type)));
      }
      std::string zone = list.zone;
      if (zone.empty()) {
        if (auto it = item.fields.find("zone");
            it != item.fields.end() && it->second.type == ConfigValue::Type::kString) {
          zone = it->second.string;
        }
      }
      ForwardErrors(options, i, zone, local);
      if (!local.empty()) {
        ok = false;
        continue;
      }
      for (const DnsblList& other : config->lists) {
        if (other.zone == list.zone && other.type == list.type) {
          options.Error("lists", "[" + std::to_string(i + 1) + "] " + list.zone +
                                     ": the same zone and type appear twice");
          ok = false;
        }
      }
      config->lists.push_back(std::move(list));
    }
  }

  config->timeout = std::chrono::milliseconds(options.Integer("timeout_ms", 5000, 100, 60000));
  config->rcpt_wait = std::chrono::milliseconds(options.Integer("rcpt_wait_ms", 2000, 0, 30000));
  config->skip_private = options.Boolean("skip_private", true);
  config->skip_authenticated = options.Boolean("skip_authenticated", true);
  for (const auto& [name, score] : options.NumberMap("scores")) {
    if (score < kMinScore || score > kMaxScore) {
      options.Error("scores", name + " must be between -100 and 100");
      ok = false;
    } else if (name == kErrorSymbol) {
      config->error_score = score;
    } else if (name == kTempErrorSymbol) {
      config->temperror_score = score;
    } else {
      options.Error("scores", "unknown symbol '" + name + "' (list symbols are scored in codes)");
      ok = false;
    }
  }
  if (!ok) return nullptr;
  return config;
}

}  // namespace portcullis::dnsbl
