-- The foundation's benchmark config plus the DNS-driven checks: SPF (an
-- include chain like a large provider's, see dns-zones/), two DNS blocklists
-- (client address and sender domain) and iprev. run_dns_bench.sh starts a
-- DNS server on loopback with dns-zones/ and passes --dns to the daemon.
state_dir = "/tmp"
pid_file = "/tmp/portcullis-bench-dns.pid"
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
  spf = {},
  dnsbl = {
    lists = {
      { zone = "bl.bench.test", type = "ip", ipv6 = false,
        default = { symbol = "RBL_BENCH", score = 5 } },
      { zone = "dbl.bench.test", type = "domain", identities = { "sender", "helo" },
        default = { symbol = "DBL_BENCH", score = 5 } },
    },
  },
  iprev = {},
}
