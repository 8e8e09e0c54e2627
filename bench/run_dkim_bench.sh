#!/usr/bin/env bash
# Milter throughput with DKIM and DMARC on (and SPF, which DMARC reads)
# against the foundation's configuration, in the same run: both are
# Portcullis, the baseline with bench/portcullis-bench.lua, the filter under
# test with bench/portcullis-bench-dkim.lua, its DNS served by the test DNS
# server on loopback from bench/dkim/example.org.zone (SPF record, DKIM key,
# _dmarc record). Both get the same corpus: gen_corpus.py's messages with
# From: rewritten to example.org and one real rsa-sha256 (2048-bit)
# relaxed/relaxed DKIM-Signature by d=example.org (bench/dkim/sign_corpus.py,
# dkimpy: a bench-time dependency, Debian python3-dkim). Before loading, one
# signed message is checked with `portcullis dkim-verify` against the same
# DNS server: it must pass, or the figures would measure failures.
# Usage (as root): bench/run_dkim_bench.sh [BUILD_DIR] [--corpus-count N]
#                  [run_milter_bench.sh options]
# Env DKIM_PYTHON: a python3 that imports dkim (default /usr/bin/python3).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/bench_common.sh
source "$HERE/lib/bench_common.sh"
BUILD=${1:-$HERE/../build}
[[ $# -gt 0 ]] && shift
CORPUS_COUNT=400
PASS_ARGS=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --corpus-count) CORPUS_COUNT=$2; shift 2 ;;
    *) PASS_ARGS+=("$1"); shift ;;
  esac
done
DKIM_PYTHON=${DKIM_PYTHON:-/usr/bin/python3}
DNS_SERVER=$(bench_find_binary "$BUILD" portcullis_test_dns_server) ||
  bench_die "portcullis_test_dns_server not found under $BUILD (configure with -DPORTCULLIS_BENCH=ON)"
PORTCULLIS="$BUILD/engine/cli/portcullis"
[[ -x $PORTCULLIS ]] || bench_die "$PORTCULLIS not built"
"$DKIM_PYTHON" -c 'import dkim' 2>/dev/null ||
  bench_die "$DKIM_PYTHON cannot import dkim (apt-get install python3-dkim, or set DKIM_PYTHON)"

WORK=$(mktemp -d /tmp/portcullis-dkim-bench.XXXXXX)
DNS_PID=
cleanup() { [[ -n $DNS_PID ]] && kill "$DNS_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

bench_log "generating and signing the corpus ($CORPUS_COUNT files)"
python3 "$HERE/corpus/gen_corpus.py" --out "$WORK/plain" --count "$CORPUS_COUNT" --seed 1 >&2
"$DKIM_PYTHON" "$HERE/dkim/sign_corpus.py" --in "$WORK/plain" --out "$WORK/signed" >&2

"$DNS_SERVER" --listen 127.0.0.1:0 --zone "$HERE/dkim/example.org.zone" \
  --query-log "$WORK/queries.log" >"$WORK/dns.out" 2>&1 &
DNS_PID=$!
for _ in $(seq 50); do grep -q "^listening on" "$WORK/dns.out" && break; sleep 0.1; done
ADDRESS=$(sed -n 's/^listening on //p' "$WORK/dns.out")
[[ -n $ADDRESS ]] || bench_die "DNS server did not start: $(cat "$WORK/dns.out")"
bench_log "DNS server pid $DNS_PID on $ADDRESS"

signed=("$WORK"/signed/*.eml)  # sorted glob; no pipe to break under pipefail
first=${signed[0]}
verdict=$("$PORTCULLIS" dkim-verify --dns "$ADDRESS" --json "$first")
bench_log "dkim-verify $(basename "$first"): $verdict"
[[ $verdict == *'"result": "pass"}'* ]] || bench_die "the signed corpus does not verify"

"$HERE/run_milter_bench.sh" "$BUILD" --no-matrix --corpus-dir "$WORK/signed" \
  --baseline-cmd "$PORTCULLIS serve -c $HERE/portcullis-bench.lua --listen %SOCKET%" \
  --filter-cmd "$PORTCULLIS serve -c $HERE/portcullis-bench-dkim.lua --dns $ADDRESS --listen %SOCKET%" \
  "${PASS_ARGS[@]}"
bench_log "DNS queries answered: $(wc -l <"$WORK/queries.log")"
