-- Portcullis configuration. This file is Lua: every option below is shown
-- with its default value. Unknown options and wrong types are errors that
-- name this file and the line. Validate with: portcullis check-config -c FILE
--
-- These are also the built-in defaults that `portcullis serve` uses when it
-- is started without -c.

-- Where the MTA connects: "inet:PORT@HOST", "inet6:PORT@HOST" or
-- "unix:/path/to/socket". Loopback by default.
listen = "inet:11332@127.0.0.1"
-- For unix sockets: the file mode and "user" or "user:group" owner, so that
-- Postfix's chrooted smtpd (user postfix) can connect.
socket_mode = "0660"
-- socket_owner = "postfix:postfix"
listen_backlog = 128

-- RFC 8601 authserv-id written into Authentication-Results. Default: this
-- machine's host name. Incoming Authentication-Results headers that claim
-- this id are removed (RFC 8601 section 5).
-- authserv_id = "mx.example.org"

-- State (greylisting, reports) and the pid file used by `portcullis reload`.
state_dir = "/var/lib/portcullis"
-- pid_file = "/var/lib/portcullis/portcullis.pid"

log = {
  target = "stderr",   -- or "syslog" (facility mail)
  level = "info",      -- debug | info | warning | error
}

-- Prometheus metrics at http://ADDRESS/metrics; "" disables.
metrics = {
  listen = "127.0.0.1:9465",
}

timeouts = {
  -- Longest wait for outstanding work (DNS) at end of message. Keep it well
  -- below Postfix's milter_content_timeout.
  end_of_message_ms = 5000,
  -- On SIGTERM, how long open connections may take to finish.
  drain_ms = 10000,
}

-- The resolver every DNS check uses (one per process, with a cache).
dns = {
  -- "HOST", "HOST:PORT" or "[V6]:PORT"; empty = the nameservers of
  -- /etc/resolv.conf. A local caching resolver is best: DNS blocklists such
  -- as Spamhaus refuse queries that come through public resolvers.
  -- `portcullis serve --dns HOST:PORT` overrides this list.
  servers = {},
  attempt_timeout_ms = 800,  -- one try; doubles per round over the servers
  attempts = 3,              -- rounds over the server list
  query_timeout_ms = 5000,   -- whole lookup, never past end_of_message_ms
  cache_max_entries = 100000, -- 0 disables the cache
  cache_min_ttl = 0,         -- seconds
  cache_max_ttl = 86400,
  negative_max_ttl = 3600,   -- NXDOMAIN / no data (RFC 2308)
  edns_udp_size = 1232,      -- EDNS0 payload; 0 = plain RFC 1035 queries
}

-- Where checks keep state between messages (greylisting). Opened only when
-- such a check is enabled. "lmdb" (default) is a file under state_dir: no
-- server, survives restarts and crashes, safe for several processes on one
-- host. "redis" shares the state between several gateways behind one MX
-- set; when Redis is down, greylisting accepts (fails open), never stalls.
-- engine/store/README.md has the guarantees and failure behaviour.
store = {
  backend = "lmdb",
  lmdb = {
    path = "store",               -- directory; relative = under state_dir
    map_size_mb = 256,            -- the most it may grow to; full = writes fail open
    recreate_when_corrupt = true, -- move a corrupt data.mdb aside and start empty
    sync_interval_ms = 1000,      -- fsync in the background; 0 = on every commit
    expiry_interval_s = 60,       -- sweep of expired entries
    expiry_batch = 1000,          -- deletions per sweep transaction
  },
  redis = {
    host = "127.0.0.1", port = 6379,
    unix_socket = "",             -- used instead of host:port when set
    username = "", password = "", -- AUTH (username: Redis 6 ACL user)
    database = 0,
    key_prefix = "portcullis:",
    pool_size = 8,
    connect_timeout_ms = 200,
    call_timeout_ms = 100,        -- every command's round trip
    backoff_min_ms = 100,         -- after a failure, calls fail at once for a
    backoff_max_ms = 5000,        -- while, doubling up to the maximum
  },
}

-- Bounds on what one message may make Portcullis do. Hitting one adds a
-- PORTCULLIS_* symbol (score 0) and a counter; mail is never lost for it.
limits = {
  max_headers = 1000,            -- headers passed to checks
  max_header_bytes = 65536,      -- one header value; longer ones are cut
  max_body_scan_bytes = 26214400, -- body bytes passed to checks (25 MiB)
  max_recipients = 1000,         -- more get 452 4.5.3 (RFC 5321 4.5.3.1.10)
  -- The MIME parse (content rules, URI blocklists): structure beyond these
  -- is not decoded and is flagged with a MIME_* symbol.
  mime_max_depth = 20,           -- multipart / message/rfc822 nesting
  mime_max_parts = 1000,
  mime_max_decoded_bytes = 67108864, -- decoded bytes per message (64 MiB)
  mime_max_line_bytes = 1048576, -- longer lines are cut for parsing
  mime_max_urls = 1000,          -- distinct URLs and addresses per message
}

headers = {
  authentication_results = true,
  score = "X-Portcullis-Score",        -- "" to omit
  symbols = "X-Portcullis-Symbols",    -- "" to omit
  quarantine = "X-Portcullis-Quarantine",
}

policy = {
  -- file = "/etc/portcullis/policy.lua",   -- default: the shipped lua/policy.lua
  thresholds = { add_header = 6, quarantine = 10, reject = 15 },
  -- Verdict when the policy fails or exceeds a limit: accept | tempfail |
  -- reject | quarantine. tempfail makes senders retry; nothing is lost.
  fallback = "tempfail",
  instruction_limit = 1000000,  -- Lua VM instructions per message
  memory_limit_kb = 8192,       -- per Lua state
  max_states = 64,              -- Lua states kept for concurrent messages
}

-- Checks run in this order. A check is enabled by its table here; set
-- enabled = false to keep the options but switch it off. Each check's full
-- option reference is in plugins/<name>/README.md.
checks = {
  -- Bare CR/LF, NUL and SMTP smuggling (RFC 5321 2.3.8, 4.1.1.4).
  -- Actions: "score" (symbols only), "reject" (550 5.7.1), "tempfail"
  -- (451 4.7.1), "quarantine".
  bare_lf = {
    header_action = "reject",     -- broken folding / CR / NUL in headers: header injection
    body_action = "score",        -- bare LF/CR, NUL in the body: old software still sends them
    smuggling_action = "reject",  -- "." line + SMTP commands: no legitimate use
    -- header_text = "Message header contains bare CR, LF or NUL characters (RFC 5321 2.3.8)",
    -- body_text = "Message contains bare line feeds (RFC 5321 2.3.8)",
    -- smuggling_text = "Message contains an SMTP smuggling attempt (non-standard end of data, RFC 5321 4.1.1.4)",
    -- scores = { BARE_LF_HEADER = 5.0, BARE_CR_HEADER = 5.0, NUL_HEADER = 5.0,
    --            BARE_LF_BODY = 2.0, BARE_CR_BODY = 2.0, NUL_BODY = 3.0,
    --            SMTP_SMUGGLING = 10.0 },
  },

  -- Local allow and block lists. Each key takes allow/block (inline) and
  -- allow_files/block_files (one entry a line, # comments; relative to this
  -- file; re-read on reload). Client, HELO and sender blocks reject at RCPT
  -- TO, per recipient, so an allowed recipient (postmaster@) still gets
  -- mail; a blocked From domain is acted on at end of message.
  lists = {
    client = { allow = {}, block = {} },       -- "192.0.2.1", "192.0.2.0/24", "2001:db8::/32"
    helo = { allow = {}, block = {} },         -- "example.org" (+ subdomains), "[192.0.2.1]"
    sender = { allow = {}, block = {} },       -- "a@example.org", "@example.org", "example.org"
    recipient = { allow = {}, block = {} },    -- e.g. allow = { "postmaster@example.org" }
    from_domain = { allow = {}, block = {} },  -- "example.org" (+ subdomains), "@example.org"
    block_action = "reject",    -- "reject" | "tempfail" | "quarantine" | "score"
    allow_action = "accept",    -- "accept" (accept regardless of score) | "score"
    reject_code = "550", reject_enhanced_code = "5.7.1",
    reject_text = "Rejected by local policy",
    tempfail_code = "451", tempfail_enhanced_code = "4.7.1",
    tempfail_text = "Temporarily rejected by local policy",
    -- scores = { LISTS_ALLOW_CLIENT = -20, ..., LISTS_BLOCK_CLIENT = 10, ... },
  },

  -- SPF (RFC 7208) for the MAIL FROM identity, and the HELO identity (which
  -- stands in for MAIL FROM <>). Lookups start at MAIL FROM on the resolver
  -- above; the result goes into Authentication-Results. A fail is what the
  -- domain's owner asked receivers to refuse ("-all"); forwarded mail can
  -- fail too, so list the domains to reject for in reject_fail_domains, or
  -- set fail = "none" to only score it.
  spf = {
    check_helo = true,
    actions = {                 -- none | reject | tempfail | quarantine | accept
      fail = "reject",          -- 550 5.7.23 "SPF validation failed" (+ exp= text)
      softfail = "none", neutral = "none", none = "none", pass = "none",
      temperror = "none",       -- DNS trouble: score 0, the policy decides
      permerror = "none",       -- a broken record
    },
    reject_fail_domains = {},   -- non-empty: the fail action only for these domains
    scores = { fail = 5, softfail = 2, neutral = 0, none = 0, pass = -1,
               temperror = 0, permerror = 1 },
    timeout_ms = 20000,         -- RFC 7208 4.6.4; end_of_message_ms bounds the wait
    received_spf_header = false, -- also prepend Received-SPF (RFC 7208 9.1)
  },

  -- DKIM signatures (RFC 6376; rsa-sha256 and ed25519-sha256, RFC 8463):
  -- each verified while the body streams in, keys looked up at end of
  -- headers; dkim= per signature in Authentication-Results. Scores only: a
  -- broken signature alone is weak evidence (lists rewrite mail).
  dkim = {
    max_signatures = 10,       -- more are ignored (DKIM_TOO_MANY_SIGNATURES)
    key_timeout_ms = 10000,
    scores = { pass = -1, fail = 2, permerror = 0.5, neutral = 0, policy = 0,
               temperror = 0, none = 0, too_many_signatures = 0 },
  },

  -- DMARC (RFC 7489): the From domain's policy against the SPF and DKIM
  -- results above, aligned through the Public Suffix List. The domain
  -- owner's p=reject rejects (550 5.7.1) and p=quarantine quarantines,
  -- unless honour_policy = false (then only symbols, the policy decides).
  dmarc = {
    psl_file = "/usr/share/publicsuffix/public_suffix_list.dat",  -- Debian publicsuffix
    psl_sections = "all",      -- ICANN and PRIVATE; "icann" for ICANN only
    honour_policy = true,
    timeout_ms = 5000,
  },

  -- ARC (RFC 8617) chain verification: arc= in Authentication-Results, and
  -- the sealers' domains for the policy (report.checks.arc.methods), so mail
  -- from a mailing list that broke DKIM but sealed it can be trusted. Scores
  -- only; sealing is not done.
  arc = {
    max_instances = 50,
    key_timeout_ms = 10000,
    scores = { pass = -1, fail = 0, none = 0, temperror = 0 },
  },

  -- Forward-confirmed reverse DNS of the client (RFC 8601 section 3), into
  -- Authentication-Results as iprev=; scored, never rejects.
  iprev = {
    timeout_ms = 5000,
    scores = { IPREV_PASS = 0, IPREV_FAIL = 1, IPREV_NO_PTR = 2,
               IPREV_PERMERROR = 1, IPREV_TEMPERROR = 0 },
  },

  -- Content rules: Lua rule files compiled into Hyperscan databases, matched
  -- in one pass while the message streams in (headers, decoded text, URLs,
  -- attachments, raw body). The shipped starter set (rules/*.lua) is built
  -- in; add your own files. Compiled databases are cached under state_dir so
  -- a restart or reload with unchanged rules does not recompile. A broken
  -- rule file fails the reload and the running rules stay. Check files with
  -- `portcullis rules lint FILE...`; the language is in rules/README.md.
  content = {
    rules = {},                 -- paths or globs relative to this file
    builtin_rules = true,       -- the shipped rules/*.lua
    cache_dir = "content-cache", -- relative to state_dir; "" = no cache
    max_scan_bytes = 8388608,   -- per message and target
  },

  -- Greylisting (RFC 6647) at RCPT TO on the store above: a new (client
  -- /24 or /64, sender, recipient) triplet gets 451 4.7.1 and is accepted
  -- when retried after `delay`. Off by default: it delays first-time mail.
  -- Full reference: plugins/greylist/README.md.
  -- greylist = {
  --   delay = 300, retry_window = "2d", max_age = "35d",
  --   ipv4_prefix = 24, ipv6_prefix = 64,
  --   auto_allowlist_after = 5,   -- passed retries before a network skips it; 0 = never
  --   skip = { authenticated = true, networks = { "127.0.0.0/8", "::1" },
  --            spf_pass = true,   -- SPF pass for the sender's domain
  --            symbols = {} },    -- e.g. a DNSWL symbol of the dnsbl check
  --   early_wait_ms = 200,        -- for SPF/DNSBL at RCPT TO; well under milter_command_timeout
  --   allowlist_clients = {}, allowlist_senders = {},
  --   allowlist_recipients = { "postmaster", "abuse" },
  --   builtin_allowlist = true,   -- large providers that retry from other addresses
  --   tempfail_text = "Greylisted: please retry in {seconds} seconds",
  --   store_timeout_ms = 100, max_recipients = 100, log_interval = 60,
  -- },

  -- URI blocklists (SURBL, URIBL, Spamhaus DBL): the registered domains and
  -- IP hosts of URLs found in the message, asked while the body streams in.
  -- Off by default (the lists' terms of use: they refuse public resolvers).
  -- Full reference with each list's codes: plugins/uribl/README.md.
  -- uribl = {
  --   lists = {
  --     { zone = "multi.surbl.org", type = "domain",
  --       masks = { ["0x08"] = { symbol = "URIBL_SURBL_PH", score = 5 },
  --                 ["0x10"] = { symbol = "URIBL_SURBL_MW", score = 5 },
  --                 ["0x40"] = { symbol = "URIBL_SURBL_ABUSE", score = 4 },
  --                 ["0x80"] = { symbol = "URIBL_SURBL_CR", score = 3 } } },
  --   },
  --   max_lookups = 20, skip_authenticated = true, exclude_domains = {},
  -- },

  -- DNS blocklists (RFC 5782): off by default, because the lists' terms of
  -- use differ (Spamhaus refuses queries through public resolvers and needs
  -- a key above a free volume). Example for Spamhaus ZEN and DBL; see
  -- plugins/dnsbl/README.md for allowlists (DNSWL) and every option.
  -- dnsbl = {
  --   lists = {
  --     { zone = "zen.spamhaus.org", type = "ip", action = "reject",
  --       codes = { ["127.0.0.2"] = { symbol = "RBL_ZEN_SBL", score = 4 },
  --                 ["127.0.0.3"] = { symbol = "RBL_ZEN_CSS", score = 4 },
  --                 ["127.0.0.4-127.0.0.7"] = { symbol = "RBL_ZEN_XBL", score = 5 },
  --                 ["127.0.0.9"] = { symbol = "RBL_ZEN_DROP", score = 8 },
  --                 ["127.0.0.10/31"] = { symbol = "RBL_ZEN_PBL", score = 2 } } },
  --     { zone = "dbl.spamhaus.org", type = "domain", identities = { "sender", "from" },
  --       default = { symbol = "DBL_SPAMHAUS", score = 5 } },
  --   },
  --   timeout_ms = 5000, rcpt_wait_ms = 2000,
  --   skip_private = true, skip_authenticated = true,
  -- },
}
