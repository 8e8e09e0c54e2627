-- The configuration the benchmarks run Portcullis with: this issue's checks
-- on (bare_lf and lists with realistic list sizes), the shipped policy, one
-- summary log line per message, no metrics scraping.
state_dir = "/tmp"
pid_file = "/tmp/portcullis-bench.pid"
authserv_id = "mx.bench.test"
socket_mode = "0666"  -- the benchmark's private Postfix connects as user postfix
metrics = { listen = "" }
log = { level = "info" }
checks = {
  bare_lf = {},
  lists = {
    -- The load generator connects as 192.0.2.10: not listed, so every message
    -- goes through the whole pipeline.
    client = { block = { "198.51.100.0/24", "203.0.113.0/24", "2001:db8:bad::/48" } },
    sender = { block = { "spam.example", "@bulk.example" } },
    recipient = { allow = { "postmaster@example.net" } },
    from_domain = { block = { "phish.example" } },
  },
}
