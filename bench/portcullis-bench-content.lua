-- Benchmark config: the foundation's checks (bench/portcullis-bench.lua)
-- plus content rules: the shipped starter set (built in), matched over the
-- MIME parse of every message.
state_dir = os.getenv("PORTCULLIS_BENCH_STATE") or "/tmp/portcullis-bench-content"
pid_file = state_dir .. "/portcullis.pid"
authserv_id = "mx.bench.test"
socket_mode = "0666"
metrics = { listen = "" }
log = { level = "info" }
checks = {
  bare_lf = {},
  lists = {
    client = { block = { "198.51.100.0/24", "203.0.113.0/24", "2001:db8:bad::/48" } },
    sender = { block = { "spam.example", "@bulk.example" } },
    recipient = { allow = { "postmaster@example.net" } },
    from_domain = { block = { "phish.example" } },
  },
  content = {},
}
