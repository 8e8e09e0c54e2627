-- Benchmark config: the foundation's checks (bench/portcullis-bench.lua)
-- plus greylisting on the store that run_greylist_bench.sh picks
-- (PORTCULLIS_BENCH_STORE=lmdb|redis, PORTCULLIS_BENCH_REDIS_PORT).
-- The loadgen's clients are 192.0.2.x, senders and recipients come from the
-- corpus, so after a warm-up every triplet is known: the steady state of a
-- gateway, one store round trip per recipient. Auto-allowlisting is off so
-- that each message takes the triplet path, not the cheaper network one.
local store_kind = os.getenv("PORTCULLIS_BENCH_STORE") or "lmdb"
state_dir = os.getenv("PORTCULLIS_BENCH_STATE") or "/tmp/portcullis-bench-greylist"
pid_file = state_dir .. "/portcullis.pid"
authserv_id = "mx.bench.test"
socket_mode = "0666"
metrics = { listen = "" }
log = { level = "info" }
store = {
  backend = store_kind,
  redis = { port = tonumber(os.getenv("PORTCULLIS_BENCH_REDIS_PORT") or "6379") },
}
checks = {
  bare_lf = {},
  lists = {
    client = { block = { "198.51.100.0/24", "203.0.113.0/24", "2001:db8:bad::/48" } },
    sender = { block = { "spam.example", "@bulk.example" } },
    recipient = { allow = { "postmaster@example.net" } },
    from_domain = { block = { "phish.example" } },
  },
  greylist = {
    delay = 1,  -- the shortest; the warm-up retries after it
    auto_allowlist_after = 0,
    skip = { spf_pass = false },
  },
}
