-- The foundation's benchmark config plus the message-authentication checks:
-- SPF, DKIM and DMARC (issue: "milter throughput with DKIM+DMARC on").
-- run_dkim_bench.sh starts a DNS server on loopback with
-- bench/dkim/example.org.zone (the SPF record, the DKIM key, the _dmarc
-- record) and passes --dns to the daemon; its corpus is signed by
-- bench/dkim/sign_corpus.py, so every message has one rsa-sha256 (2048-bit)
-- signature that passes and a DMARC pass aligned on SPF and DKIM.
state_dir = "/tmp"
pid_file = "/tmp/portcullis-bench-dkim.pid"
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
  dkim = {},
  -- The Public Suffix List from Debian's publicsuffix package (the default).
  dmarc = {},
}
