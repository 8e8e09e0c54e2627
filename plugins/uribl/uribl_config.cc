#include "uribl_config.h"

#include "dnsbl_names.h"
#include "portcullis/smtp_reply.h"
#include "uribl_excludes.h"

namespace portcullis::uribl {
namespace {

uint8_t ReadTargets(ConfigReader& list) {
  const std::string type = list.Choice("type", "domain", {"domain", "ip", "both"});
  if (type == "ip") return kIps;
  if (type == "both") return kDomains | kIps;
  return kDomains;
}

uint8_t ReadIdentities(ConfigReader& list) {
  if (!list.Has("identities")) return kUrl;
  uint8_t identities = 0;
  for (const std::string& name : list.StringList("identities")) {
    if (name == "url") {
      identities |= kUrl;
    } else if (name == "email") {
      identities |= kEmail;
    } else {
      list.Error("identities", "'" + name + "' is not one of: url, email");
    }
  }
  if (identities == 0) list.Error("identities", "names nothing to look up");
  return identities;
}

// One entry of `lists`; errors go to `errors` (file:line inside the entry).
UriblList ReadList(ConfigReader& list, const std::string& file, ConfigErrors* errors) {
  UriblList out;
  out.rules.type = dnsbl::ListType::kDomain;
  out.rules.self_test = false;
  const ConfigValue* zone = list.Raw("zone");
  if (!zone) {
    list.Error("zone", "missing (the list's DNS zone, e.g. \"multi.surbl.org\")");
  } else if (zone->type != ConfigValue::Type::kString) {
    list.Error("zone", "expected string, got " + std::string(ConfigValue::TypeName(zone->type)));
  } else if (std::optional<std::string> normal = dnsbl::NormaliseZone(zone->string)) {
    out.rules.zone = *normal;
  } else {
    list.Error("zone", "'" + zone->string + "' is not a DNS zone name");
  }
  out.targets = ReadTargets(list);
  out.identities = ReadIdentities(list);
  if ((out.identities & kEmail) && !(out.targets & kDomains)) {
    list.Error("identities", "\"email\" needs type = \"domain\" or \"both\"");
  }
  out.ipv6 = list.Boolean("ipv6", false);
  if (list.Has("ipv6") && !(out.targets & kIps)) {
    list.Error("ipv6", "only for type = \"ip\" or \"both\"");
  }

  const size_t errors_before = errors->all().size();
  dnsbl::ReadListCodes(list, file, errors, &out.rules);
  // Only when the codes themselves were fine: a bad code is reported already.
  if (out.rules.codes.empty() && out.rules.masks.empty() && !out.rules.default_symbol &&
      errors->all().size() == errors_before) {
    list.Error("codes", "the list has no codes, masks or default: it could never add a symbol");
  }

  out.reject = list.Choice("action", "score", {"score", "reject"}) == "reject";
  out.reject_code = list.String("reject_code", "550");
  out.reject_enhanced_code = list.String("reject_enhanced_code", "5.7.1");
  if (!IsReplyCode(out.reject_code, '5')) list.Error("reject_code", "must be a 5xx reply code");
  if (!IsEnhancedStatusCode(out.reject_enhanced_code, '5')) {
    list.Error("reject_enhanced_code", "must be an RFC 3463 code like 5.7.1");
  }
  return out;
}

// ConfigReader does not hand out its error sink, so each list is read with
// its own and the errors are re-reported at `checks.uribl.lists` (the
// file:line of the `lists` key) naming the entry and the line inside it.
void ForwardErrors(ConfigReader& options, size_t index, const std::string& zone,
                   const ConfigErrors& local) {
  for (const std::string& error : local.all()) {
    // Local errors are ":LINE: message" (empty file name).
    std::string message = error;
    std::string line;
    if (size_t colon = message.find(": ");
        !message.empty() && message.front() == ':' && colon != std::string::npos) {
      line = message.substr(1, colon - 1);
      message = message.substr(colon + 2);
    }
    std::string where = "[" + std::to_string(index + 1) + "]";
    if (!zone.empty()) where += " " + zone;
    if (!line.empty() && line != "0") where += " (line " + line + ")";
    options.Error("lists", where + ": " + message);
  }
}

bool ReadLists(ConfigReader& options, UriblConfig* config) {
  const ConfigValue* lists = options.Raw("lists");
  if (!lists) {
    options.Error("lists", "missing: at least one list { zone = ..., codes = ... }");
    return false;
  }
  if (lists->type != ConfigValue::Type::kTable || !lists->fields.empty()) {
    options.Error("lists", "expected a list of tables: lists = { { zone = ... }, ... }");
    return false;
  }
  if (lists->items.empty() || lists->items.size() > kMaxLists) {
    options.Error("lists", "must hold 1 to " + std::to_string(kMaxLists) + " lists");
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < lists->items.size(); ++i) {
    const ConfigValue& item = lists->items[i];
    ConfigErrors local;
    UriblList list;
    if (item.type == ConfigValue::Type::kTable) {
      ConfigReader reader(&item, "", "", &local);  // unknown options go to `local` at "}"
      list = ReadList(reader, "", &local);
    } else {
      local.AddFormatted(":" + std::to_string(item.line) +
                         ": expected a table { zone = ... }, got " +
                         std::string(ConfigValue::TypeName(item.type)));
    }
    std::string zone = list.zone();
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
    for (const UriblList& other : config->lists) {
      if (other.zone() == list.zone()) {
        options.Error("lists", "[" + std::to_string(i + 1) + "] " + list.zone() +
                                   ": the same zone appears twice");
        ok = false;
      }
    }
    config->lists.push_back(std::move(list));
  }
  return ok;
}

bool ReadExcludes(ConfigReader& options, UriblConfig* config) {
  bool ok = true;
  if (options.Boolean("exclude_defaults", true)) {
    for (std::string_view domain : DefaultExcludedDomains()) {
      config->exclude_domains.emplace(domain);
    }
  }
  std::vector<std::string> extra = options.StringList("exclude_domains");
  if (extra.size() > kMaxExcludeDomains) {
    options.Error("exclude_domains", "at most " + std::to_string(kMaxExcludeDomains) + " domains");
    return false;
  }
  for (const std::string& text : extra) {
    if (std::optional<std::string> domain = dnsbl::NormaliseDomain(text)) {
      config->exclude_domains.insert(*domain);
    } else {
      options.Error("exclude_domains", "'" + text + "' is not a domain name");
      ok = false;
    }
  }
  return ok;
}

}  // namespace

bool UriblConfig::Excluded(std::string_view domain) const {
  // The domain itself, then each parent ("a.b.example.org" -> "b.example.org"
  // -> "example.org" -> "org"): bounded by the name's labels (at most 127).
  for (;;) {
    if (exclude_domains.contains(std::string(domain))) return true;
    size_t dot = domain.find('.');
    if (dot == std::string_view::npos) return false;
    domain.remove_prefix(dot + 1);
  }
}

std::shared_ptr<const UriblConfig> ReadUriblConfig(ConfigReader& options) {
  auto config = std::make_shared<UriblConfig>();
  bool ok = ReadLists(options, config.get());
  config->max_lookups =
      static_cast<int>(options.Integer("max_lookups", kDefaultMaxLookups, 1, kMaxMaxLookups));
  config->timeout = std::chrono::milliseconds(options.Integer("timeout_ms", 5000, 100, 60000));
  if (options.Has("wait_ms")) {
    config->wait = std::chrono::milliseconds(options.Integer("wait_ms", 0, 0, 60000));
  }
  config->skip_authenticated = options.Boolean("skip_authenticated", true);
  ok = ReadExcludes(options, config.get()) && ok;
  for (const auto& [name, score] : options.NumberMap("scores")) {
    if (score < dnsbl::kMinScore || score > dnsbl::kMaxScore) {
      options.Error("scores", name + " must be between -100 and 100");
      ok = false;
    } else if (name == kErrorSymbol) {
      config->error_score = score;
    } else if (name == kLimitSymbol) {
      config->limit_score = score;
    } else {
      options.Error("scores", "unknown symbol '" + name + "' (list symbols are scored in codes)");
      ok = false;
    }
  }
  if (!ok) return nullptr;
  return config;
}

}  // namespace portcullis::uribl
