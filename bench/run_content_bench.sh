#!/usr/bin/env bash
# Milter throughput with content rules on (the MIME parse plus the shipped
# rules in Hyperscan), against the foundation's configuration in the same
# run: both are Portcullis, the baseline with bench/portcullis-bench.lua,
# the filter under test with bench/portcullis-bench-content.lua.
# The per-core matching speed against PCRE2 is bench/content/
# (portcullis_content_bench); this is the whole daemon.
# Usage (as root): bench/run_content_bench.sh [BUILD_DIR] [run_milter_bench.sh options]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/bench_common.sh
source "$HERE/lib/bench_common.sh"
BUILD=${1:-$HERE/../build}
[[ $# -gt 0 ]] && shift
PORTCULLIS="$BUILD/engine/cli/portcullis"
[[ -x $PORTCULLIS ]] || bench_die "portcullis not found under $BUILD"
WORK=$(mktemp -d /tmp/portcullis-content-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export PORTCULLIS_BENCH_STATE=$WORK/state
mkdir -p "$PORTCULLIS_BENCH_STATE"
# Compile once so that every round starts from the database cache, as a
# restarted daemon does.
"$PORTCULLIS" check-config -c "$HERE/portcullis-bench-content.lua" >&2
"$HERE/run_milter_bench.sh" "$BUILD" --no-matrix \
  --baseline-cmd "$PORTCULLIS serve -c $HERE/portcullis-bench.lua --listen %SOCKET%" \
  --filter-cmd "$PORTCULLIS serve -c $HERE/portcullis-bench-content.lua --listen %SOCKET%" \
  "$@"
