#!/usr/bin/env bash
# Milter throughput with greylisting on, against the foundation's
# configuration in the same run (both are Portcullis: the baseline with
# bench/portcullis-bench.lua, the filter under test with
# bench/portcullis-bench-greylist.lua), on LMDB and on a local Redis.
#
# Before each store's run, a warm-up sends the corpus twice through a daemon
# with greylisting on (delay 1 s, retried after 2 s), so that the measured
# runs see known triplets, the steady state of a gateway.
# Usage (as root): bench/run_greylist_bench.sh [BUILD_DIR] [--stores "lmdb redis"]
#                  [run_milter_bench.sh options]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/bench_common.sh
source "$HERE/lib/bench_common.sh"
BUILD=${1:-$HERE/../build}
[[ $# -gt 0 ]] && shift
STORES="lmdb redis"
if [[ ${1:-} == --stores ]]; then STORES=$2; shift 2; fi
PORTCULLIS="$BUILD/engine/cli/portcullis"
LOADGEN=$(bench_find_binary "$BUILD" portcullis_loadgen) || bench_die "portcullis_loadgen not found under $BUILD"
[[ -x $PORTCULLIS ]] || bench_die "portcullis not found under $BUILD"

WORK=$(mktemp -d /tmp/portcullis-greylist-bench.XXXXXX)
BENCH_PIDS=()
trap 'bench_stop_all; rm -rf "$WORK"' EXIT
python3 "$HERE/corpus/gen_corpus.py" --out "$WORK/corpus" --count 400 --seed 1 >&2

export PORTCULLIS_BENCH_STATE=$WORK/state
mkdir -p "$PORTCULLIS_BENCH_STATE"
REDIS_PORT=$(bench_free_port)
export PORTCULLIS_BENCH_REDIS_PORT=$REDIS_PORT
bench_start "$WORK/redis.log" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 \
  --save "''" --appendonly no --dir "$WORK"
bench_wait_tcp "$REDIS_PORT" 10 || bench_die "redis-server did not start: $(cat "$WORK/redis.log")"
bench_log "redis-server on 127.0.0.1:$REDIS_PORT"

for store in $STORES; do
  export PORTCULLIS_BENCH_STORE=$store
  socket=unix:$WORK/warmup.sock
  bench_start "$WORK/warmup-$store.log" "$PORTCULLIS" serve -c "$HERE/portcullis-bench-greylist.lua" \
    --listen "$socket"
  warm_pid=$BENCH_LAST_PID
  for pass in 1 2; do
    [[ $pass == 2 ]] && sleep 2
    timeout 120 "$LOADGEN" --socket "$socket" --corpus "$WORK/corpus" --count 1200 \
      --connections 10 --max-seconds 60 --wait-ready 10 --quiet --json "$WORK/warmup-$store-$pass.json"
  done
  bench_stop "$warm_pid"
  for pass in 1 2; do
    bench_log "$store: warm-up pass $pass verdicts: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdicts"])' "$WORK/warmup-$store-$pass.json")"
  done
  "$HERE/run_milter_bench.sh" "$BUILD" --no-matrix --corpus-dir "$WORK/corpus" \
    --baseline-cmd "$PORTCULLIS serve -c $HERE/portcullis-bench.lua --listen %SOCKET%" \
    --filter-cmd "$PORTCULLIS serve -c $HERE/portcullis-bench-greylist.lua --listen %SOCKET%" \
    "$@"
done
