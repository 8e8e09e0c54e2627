#include "config/engine_config.h"

#include <unistd.h>

#include "portcullis/check_registry.h"
#include "store/store_config.h"

namespace portcullis {
namespace {

void ReadListener(ConfigReader& reader, ListenerConfig* listener) {
  listener->spec = reader.String("listen", listener->spec);
  if (listener->spec.rfind("inet:", 0) != 0 && listener->spec.rfind("inet6:", 0) != 0 &&
      listener->spec.rfind("unix:", 0) != 0 && listener->spec.rfind("local:", 0) != 0) {
    reader.Error("listen", "must start with inet:, inet6: or unix:");
  }
  listener->socket_mode = reader.String("socket_mode", listener->socket_mode);
  if (listener->socket_mode.find_first_not_of("01234567") != std::string::npos ||
      listener->socket_mode.size() > 4) {
    reader.Error("socket_mode", "must be an octal mode such as \"0660\"");
  }
  listener->socket_owner = reader.String("socket_owner", "");
  listener->backlog = static_cast<int>(reader.Integer("listen_backlog", 128, 1, 65535));
}

void ReadPolicy(ConfigReader reader, const std::string& dir, PolicyConfig* policy) {
  policy->file = reader.String("file", "");
  if (!policy->file.empty() && policy->file.front() != '/') {
    policy->file = dir + "/" + policy->file;
  }
  if (reader.Has("thresholds")) policy->thresholds = reader.NumberMap("thresholds");
  std::string fallback =
      reader.Choice("fallback", "tempfail", {"accept", "tempfail", "reject", "quarantine"});
  policy->fallback = *ParseAction(fallback);
  policy->instruction_limit =
      reader.Integer("instruction_limit", policy->instruction_limit, 1000, 1000000000);
  policy->memory_limit_bytes =
      reader.Integer("memory_limit_kb", policy->memory_limit_bytes / 1024, 256, 1 << 20) * 1024;
  policy->max_states = reader.Integer("max_states", policy->max_states, 1, 4096);
}

void ReadLimits(ConfigReader reader, LimitsConfig* limits) {
  limits->max_headers = reader.Integer("max_headers", limits->max_headers, 10, 100000);
  limits->max_header_bytes =
      reader.Integer("max_header_bytes", limits->max_header_bytes, 998, 16 << 20);
  limits->max_body_scan_bytes =
      reader.Integer("max_body_scan_bytes", limits->max_body_scan_bytes, 0, int64_t{1} << 32);
  limits->max_recipients = reader.Integer("max_recipients", limits->max_recipients, 100, 100000);
  mime::Limits& mime = limits->mime;
  mime.max_depth = static_cast<int>(reader.Integer("mime_max_depth", mime.max_depth, 1, 1000));
  mime.max_parts = static_cast<int>(reader.Integer("mime_max_parts", mime.max_parts, 1, 1000000));
  mime.max_decoded_bytes = static_cast<uint64_t>(reader.Integer(
      "mime_max_decoded_bytes", static_cast<int64_t>(mime.max_decoded_bytes), 0, int64_t{1} << 32));
  mime.max_line_bytes = static_cast<size_t>(reader.Integer(
      "mime_max_line_bytes", static_cast<int64_t>(mime.max_line_bytes), 998, 64 << 20));
  mime.max_urls = static_cast<int>(reader.Integer("mime_max_urls", mime.max_urls, 0, 1000000));
}

void ReadHeaders(ConfigReader reader, HeadersConfig* headers) {
  headers->add_auth_results = reader.Boolean("authentication_results", true);
  headers->score_header = reader.String("score", headers->score_header);
  headers->symbols_header = reader.String("symbols", headers->symbols_header);
  headers->quarantine_header = reader.String("quarantine", headers->quarantine_header);
}

void ReadDns(ConfigReader reader, dns::ResolverOptions* dns) {
  dns->servers = reader.StringList("servers");
  for (const std::string& server : dns->servers) {
    if (server.empty()) reader.Error("servers", "an empty server address");
  }
  dns->attempt_timeout = std::chrono::milliseconds(reader.Integer(
      "attempt_timeout_ms", dns->attempt_timeout.count(), 10, 60000));
  dns->attempts = static_cast<int>(reader.Integer("attempts", dns->attempts, 1, 10));
  dns->query_timeout = std::chrono::milliseconds(
      reader.Integer("query_timeout_ms", dns->query_timeout.count(), 10, 120000));
  dns->cache_max_entries = static_cast<size_t>(reader.Integer(
      "cache_max_entries", static_cast<int64_t>(dns->cache_max_entries), 0, 100000000));
  dns->cache_min_ttl =
      static_cast<uint32_t>(reader.Integer("cache_min_ttl", dns->cache_min_ttl, 0, 86400));
  dns->cache_max_ttl =
      static_cast<uint32_t>(reader.Integer("cache_max_ttl", dns->cache_max_ttl, 0, 604800));
  dns->negative_max_ttl = static_cast<uint32_t>(
      reader.Integer("negative_max_ttl", dns->negative_max_ttl, 0, 604800));
  // RFC 6891 6.2.5: below 512 is treated as 512; 0 here means no EDNS0.
  dns->edns_udp_size =
      static_cast<uint16_t>(reader.Integer("edns_udp_size", dns->edns_udp_size, 0, 65535));
  if (dns->cache_min_ttl > dns->cache_max_ttl) {
    reader.Error("cache_min_ttl", "is above cache_max_ttl");
  }
}

}  // namespace

std::string DefaultAuthservId() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

EngineConfig ReadEngineConfig(const ConfigValue& root, const std::string& file,
                              const std::string& dir, ConfigErrors* errors) {
  EngineConfig config;
  config.file = file;
  config.dir = dir;
  ConfigReader reader(&root, "", file, errors);
  ReadListener(reader, &config.listener);
  config.headers.authserv_id = reader.String("authserv_id", DefaultAuthservId());
  if (config.headers.authserv_id.find_first_of(" \t;()\"\r\n") != std::string::npos ||
      config.headers.authserv_id.empty()) {
    reader.Error("authserv_id", "must be a single token (RFC 8601 2.5), e.g. a host name");
  }
  config.state_dir = reader.String("state_dir", config.state_dir);
  config.pid_file = reader.String("pid_file", "");
  if (config.pid_file.empty()) config.pid_file = config.state_dir + "/portcullis.pid";
  {
    ConfigReader log = reader.Table("log");
    config.log_target = log.Choice("target", "stderr", {"stderr", "syslog"});
    config.log_level = log.Choice("level", "info", {"debug", "info", "warning", "error"});
  }
  {
    ConfigReader metrics = reader.Table("metrics");
    config.metrics_listen = metrics.String("listen", config.metrics_listen);
  }
  {
    ConfigReader timeouts = reader.Table("timeouts");
    config.end_of_message_timeout_ms = timeouts.Integer(
        "end_of_message_ms", config.end_of_message_timeout_ms, 10, 600000);
    config.drain_timeout_ms = timeouts.Integer("drain_ms", config.drain_timeout_ms, 0, 600000);
  }
  ReadLimits(reader.Table("limits"), &config.limits);
  ReadHeaders(reader.Table("headers"), &config.headers);
  ReadPolicy(reader.Table("policy"), dir, &config.policy);
  ReadDns(reader.Table("dns"), &config.dns);
  store::ReadStoreOptions(reader.Table("store"), &config.store);

  const ConfigValue* checks = reader.Raw("checks");
  if (checks && checks->type != ConfigValue::Type::kTable) {
    errors->Add(file, checks->line, "'checks' must be a table of check = { options }");
  } else if (checks) {
    for (const auto& [name, options] : checks->fields) {
      if (!FindCheckFactory(name)) {
        std::string known;
        for (const std::string& n : RegisteredCheckNames()) known += " " + n;
        errors->Add(file, options.line, "unknown check '" + name + "' (known:" + known + ")");
        continue;
      }
      if (options.type == ConfigValue::Type::kBoolean) {
        if (options.boolean) config.checks.emplace_back(name, nullptr);
        continue;
      }
      if (options.type != ConfigValue::Type::kTable) {
        errors->Add(file, options.line,
                    "checks." + name + " must be a table of options or true/false");
        continue;
      }
      auto enabled = options.fields.find("enabled");
      if (enabled != options.fields.end() &&
          enabled->second.type == ConfigValue::Type::kBoolean && !enabled->second.boolean) {
        continue;
      }
      config.checks.emplace_back(name, &options);
    }
  }
  return config;
}

}  // namespace portcullis
