#!/usr/bin/env bash
# Milter-level benchmark: the filter under test against the null filter
# (the protocol's own ceiling), in the same run, alternating, over inet
# (127.0.0.1) and unix sockets, driven by portcullis_loadgen.
#
# Usage: bench/run_milter_bench.sh [BUILD_DIR] [options]
#   BUILD_DIR            build tree holding portcullis_loadgen and
#                        portcullis_null_filter (default ./build); nothing is built
#   --filter-cmd CMD     filter under test; %SOCKET% is replaced by the socket
#                        spec (env FILTER_CMD). Default: the null filter itself.
#                        e.g. 'build/portcullis serve -c bench.conf --socket %SOCKET%'
#   --baseline-skip S    stages the null filter skips (SMFIP_NO*), e.g.
#                        helo,eoh,data,unknown to exchange what the filter does
#   --baseline-args A    more null filter options, e.g. --no-reply-headers to
#                        leave headers unanswered as Portcullis does
#   --baseline-cmd CMD   baseline instead of the null filter (%SOCKET% as above),
#                        e.g. Portcullis with fewer checks (env BASELINE_CMD)
#   --count N            messages per run (20000)       --seconds S   per run (60)
#   --connections C      concurrent connections (50)    --rounds R    (2)
#   --corpus-count N     corpus files to generate (400)
#   --corpus-dir DIR     use the .eml files in DIR instead of generating a
#                        corpus (e.g. a DKIM-signed one, see run_dkim_bench.sh)
#   --no-matrix          skip the null-filter TCP_NODELAY / NR_* matrix
#   --out DIR            results directory (bench/results)
# Writes DIR/milter-<UTC date>.json and .md. Every process it starts is
# stopped by PID on exit. Loopback only.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/bench_common.sh
source "$HERE/lib/bench_common.sh"

BUILD=./build
if [[ $# -gt 0 && $1 != --* ]]; then BUILD=$1; shift; fi
FILTER_CMD=${FILTER_CMD:-}
BASELINE_CMD_OPT=${BASELINE_CMD:-}
BASELINE_SKIP=${BASELINE_SKIP:-}
BASELINE_ARGS=${BASELINE_ARGS:-}
COUNT=20000 SECONDS_PER_RUN=60 CONNECTIONS=50 ROUNDS=2 CORPUS_COUNT=400 MATRIX=1 CORPUS_DIR=
OUT=$HERE/results
while [[ $# -gt 0 ]]; do
  case $1 in
    --filter-cmd) FILTER_CMD=$2; shift 2 ;;
    --baseline-skip) BASELINE_SKIP=$2; shift 2 ;;
    --baseline-args) BASELINE_ARGS=$2; shift 2 ;;
    --baseline-cmd) BASELINE_CMD_OPT=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --corpus-count) CORPUS_COUNT=$2; shift 2 ;;
    --corpus-dir) CORPUS_DIR=$2; shift 2 ;;
    --no-matrix) MATRIX=0; shift ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) bench_die "unknown argument $1" ;;
  esac
done

LOADGEN=$(bench_find_binary "$BUILD" portcullis_loadgen) || bench_die "portcullis_loadgen not found under $BUILD"
NULL_FILTER=$(bench_find_binary "$BUILD" portcullis_null_filter) || bench_die "portcullis_null_filter not found under $BUILD"
BASELINE_CMD="$NULL_FILTER --socket %SOCKET% --nodelay${BASELINE_SKIP:+ --skip $BASELINE_SKIP}${BASELINE_ARGS:+ $BASELINE_ARGS}"
[[ -n $BASELINE_CMD_OPT ]] && BASELINE_CMD=$BASELINE_CMD_OPT
if [[ -z $FILTER_CMD ]]; then
  FILTER_CMD=$BASELINE_CMD
  FILTER_NAME="null filter (stand-in for the filter under test)"
else
  FILTER_NAME=$FILTER_CMD
fi

WORK=$(mktemp -d /tmp/portcullis-milter-bench.XXXXXX)
trap 'bench_stop_all; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$OUT" "$WORK/runs"
STAMP=$(date -u +%Y%m%d-%H%M%S)

CORPUS=$WORK/corpus
if [[ -n $CORPUS_DIR ]]; then
  CORPUS=$CORPUS_DIR
  CORPUS_COUNT=$(find "$CORPUS" -maxdepth 1 -name '*.eml' | wc -l)
  (( CORPUS_COUNT > 0 )) || bench_die "no .eml files in $CORPUS"
  bench_log "using the corpus in $CORPUS ($CORPUS_COUNT files)"
else
  bench_log "generating corpus ($CORPUS_COUNT files) in $CORPUS"
  python3 "$HERE/corpus/gen_corpus.py" --out "$CORPUS" --count "$CORPUS_COUNT" --seed 1 >&2
fi

# run_one ROLE TRANSPORT ROUND FILTER_TEMPLATE LOADGEN_ARGS...
# Starts a fresh filter process (so peak RSS is per run), loads it, stops it.
run_one() {
  local role=$1 transport=$2 round=$3 template=$4; shift 4
  local socket
  if [[ $transport == inet ]]; then
    socket="inet:$(bench_free_port)@127.0.0.1"
  else
    socket="unix:$WORK/$role-$round.sock"
  fi
  local cmd=${template//%SOCKET%/$socket}
  local tag="$role-$transport-$round"
  # umask 000: an MTA running as another user must be able to connect.
  BENCH_UMASK=000 bench_start "$WORK/$tag.filter.log" "$cmd"
  local pid=$BENCH_LAST_PID
  bench_log "$tag: filter pid $pid: $cmd"
  local rc=0
  timeout $((${SECONDS_PER_RUN%.*} + 60)) "$LOADGEN" --socket "$socket" --corpus "$CORPUS" \
    --pid "$pid" --wait-ready 15 --label "$tag" --json "$WORK/runs/$tag.json" "$@" >&2 || rc=$?
  bench_stop "$pid"
  [[ $rc -eq 0 ]] || bench_log "$tag: loadgen exit $rc (see errors in the report)"
  [[ -s $WORK/runs/$tag.json ]] || printf '{"label":"%s","failed":true}\n' "$tag" >"$WORK/runs/$tag.json"
  # Annotate with role/transport/round for the summary.
  python3 - "$WORK/runs/$tag.json" "$role" "$transport" "$round" "$cmd" <<'PY'
import json, sys
path, role, transport, rnd, cmd = sys.argv[1:]
d = json.load(open(path))
d.update(role=role, transport=transport, round=int(rnd), command=cmd)
json.dump(d, open(path, "w"))
PY
}

MAIN_ARGS=(--count "$COUNT" --max-seconds "$SECONDS_PER_RUN" --connections "$CONNECTIONS")
run_main() {  # ROLE TRANSPORT ROUND
  local template=$FILTER_CMD
  [[ $1 == baseline ]] && template=$BASELINE_CMD
  run_one "$1" "$2" "$3" "$template" "${MAIN_ARGS[@]}"
}
bench_alternating_rounds "$ROUNDS" baseline filter "inet unix" run_main

if (( MATRIX )); then
  # One connection, inet: the per-connection stalls show undiluted. Bounded
  # to 400 messages / 8 s each; a stalled case reaches ~180 in 8 s.
  M=(--connections 1 --count 400 --max-seconds 8)
  run_one m-reply-all inet 1 "$NULL_FILTER --socket %SOCKET% --nodelay" "${M[@]}"
  run_one m-addhdr-nagle inet 1 "$NULL_FILTER --socket %SOCKET% --add-header" "${M[@]}"
  run_one m-addhdr-nodelay inet 1 "$NULL_FILTER --socket %SOCKET% --add-header --nodelay" "${M[@]}"
  run_one m-noreply inet 1 "$NULL_FILTER --socket %SOCKET% --nodelay --no-reply" "${M[@]}"
  run_one m-noreply-mta-nagle inet 1 "$NULL_FILTER --socket %SOCKET% --nodelay --no-reply" "${M[@]}" --client-nagle
  run_one m-reply-all-mta-nagle inet 1 "$NULL_FILTER --socket %SOCKET% --nodelay" "${M[@]}" --client-nagle
  # Headers unanswered but acknowledged at once (TCP_QUICKACK), as Portcullis does.
  run_one m-noreply-headers-quickack-mta-nagle inet 1 \
    "$NULL_FILTER --socket %SOCKET% --nodelay --no-reply-headers" "${M[@]}" --client-nagle
  run_one m-noreply-mta-nagle unix 1 "$NULL_FILTER --socket %SOCKET% --nodelay --no-reply" "${M[@]}" --client-nagle
fi

python3 "$HERE/lib/summarize_milter.py" --runs "$WORK/runs" --stamp "$STAMP" \
  --filter-name "$FILTER_NAME" --baseline-name "${BASELINE_CMD_OPT:-null filter with TCP_NODELAY${BASELINE_ARGS:+ $BASELINE_ARGS}}" \
  --out "$OUT/milter-$STAMP" \
  --config "count=$COUNT seconds=$SECONDS_PER_RUN connections=$CONNECTIONS rounds=$ROUNDS corpus=$CORPUS_COUNT"
bench_log "wrote $OUT/milter-$STAMP.json and .md"
