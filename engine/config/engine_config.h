// The engine's own settings (everything in the config file that is not a
// check's options), with their defaults. examples/portcullis.lua documents
// each one; keep the two in step.
//
// A plain value, built once per Snapshot and immutable afterwards.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "portcullis/check_result.h"
#include "portcullis/config_value.h"
#include "portcullis/dns.h"
#include "portcullis/mime.h"
#include "portcullis/store_options.h"

namespace portcullis {

struct ListenerConfig {
  // "inet:PORT@HOST", "inet6:PORT@HOST" or "unix:/path" (libmilter syntax).
  std::string spec = "inet:11332@127.0.0.1";
  std::string socket_mode = "0660";  // unix sockets only
  std::string socket_owner;          // "user" or "user:group", unix only
  int backlog = 128;
};

struct LimitsConfig {
  // Security: bounds the per-message work a client can cause. Defaults sit
  // above what real mail uses and below what would hurt the gateway.
  int64_t max_headers = 1000;           // headers passed to checks per message
  int64_t max_header_bytes = 65536;     // one header's value; RFC 5322 2.1.1 says 998 per line
  int64_t max_body_scan_bytes = 25 << 20;  // body bytes passed to checks
  int64_t max_recipients = 1000;        // RFC 5321 4.5.3.1.8 requires at least 100
  mime::Limits mime;                    // the MIME parse (portcullis/mime.h)
};

struct HeadersConfig {
  std::string authserv_id;  // RFC 8601 authserv-id; default: host name
  bool add_auth_results = true;
  std::string score_header = "X-Portcullis-Score";      // "" disables
  std::string symbols_header = "X-Portcullis-Symbols";  // "" disables
  std::string quarantine_header = "X-Portcullis-Quarantine";
};

struct PolicyConfig {
  std::string file;  // "" = the shipped policy embedded in the binary
  std::map<std::string, double> thresholds = {
      {"add_header", 6}, {"quarantine", 10}, {"reject", 15}};
  // The verdict when the policy errors or exceeds a limit. tempfail makes
  // the client retry later, so a broken policy never loses or bounces mail.
  Action fallback = Action::kTempfail;
  int64_t instruction_limit = 1000000;
  int64_t memory_limit_bytes = 8 << 20;
  int64_t max_states = 64;
};

struct EngineConfig {
  std::string file;
  std::string dir;
  ListenerConfig listener;
  std::string state_dir = "/var/lib/portcullis";
  std::string pid_file;  // "" = <state_dir>/portcullis.pid
  std::string log_target = "stderr";
  std::string log_level = "info";
  std::string metrics_listen = "127.0.0.1:9465";  // "" disables
  int64_t end_of_message_timeout_ms = 5000;
  int64_t drain_timeout_ms = 10000;
  LimitsConfig limits;
  HeadersConfig headers;
  dns::ResolverOptions dns;
  PolicyConfig policy;
  // The state store (`store` section; engine/store/README.md).
  store::StoreOptions store;
  // Enabled checks, in config order of their names, with their option tables.
  std::vector<std::pair<std::string, const ConfigValue*>> checks;
};

// Reads everything but the checks' own options. `root` must outlive the
// result (check option tables point into it).
EngineConfig ReadEngineConfig(const ConfigValue& root, const std::string& file,
                              const std::string& dir, ConfigErrors* errors);

std::string DefaultAuthservId();

}  // namespace portcullis
