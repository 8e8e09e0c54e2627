#!/usr/bin/env bash
# Milter throughput with the DNS-driven checks (SPF, DNSBL, iprev) against
# the foundation's configuration, in the same run: both are Portcullis, the
# baseline with bench/portcullis-bench.lua, the filter under test with
# bench/portcullis-bench-dns.lua, its DNS served by the test DNS server on
# loopback from bench/dns-zones/. Aim (issue 3): the DNS checks cost under
# 20% of the throughput.
# Usage (as root): bench/run_dns_bench.sh [BUILD_DIR] [run_milter_bench.sh options]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/bench_common.sh
source "$HERE/lib/bench_common.sh"
BUILD=${1:-$HERE/../build}
[[ $# -gt 0 ]] && shift
DNS_SERVER=$(bench_find_binary "$BUILD" portcullis_test_dns_server) ||
  bench_die "portcullis_test_dns_server not found under $BUILD (configure with -DPORTCULLIS_BENCH=ON)"
PORTCULLIS="$BUILD/engine/cli/portcullis"

WORK=$(mktemp -d /tmp/portcullis-dns-bench.XXXXXX)
DNS_PID=
cleanup() { [[ -n $DNS_PID ]] && kill "$DNS_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
zones=()
for zone in "$HERE"/dns-zones/*.zone; do zones+=(--zone "$zone"); done
"$DNS_SERVER" --listen 127.0.0.1:0 "${zones[@]}" --query-log "$WORK/queries.log" >"$WORK/dns.out" 2>&1 &
DNS_PID=$!
for _ in $(seq 50); do grep -q "^listening on" "$WORK/dns.out" && break; sleep 0.1; done
ADDRESS=$(sed -n 's/^listening on //p' "$WORK/dns.out")
[[ -n $ADDRESS ]] || bench_die "DNS server did not start: $(cat "$WORK/dns.out")"
bench_log "DNS server pid $DNS_PID on $ADDRESS"

"$HERE/run_milter_bench.sh" "$BUILD" --no-matrix \
  --baseline-cmd "$PORTCULLIS serve -c $HERE/portcullis-bench.lua --listen %SOCKET%" \
  --filter-cmd "$PORTCULLIS serve -c $HERE/portcullis-bench-dns.lua --dns $ADDRESS --listen %SOCKET%" \
  "$@"
bench_log "DNS queries answered: $(wc -l <"$WORK/queries.log")"
