#!/usr/bin/env bash
# Runs the milter and Postfix benchmarks against Portcullis with this repository's bench config
# (bench/portcullis-bench.lua: bare_lf and lists on), each side by side with
# the do-nothing filter in the same run, then the DNS checks, greylisting and
# content rules benchmarks against Portcullis without them, and writes
# bench/results/.
# Usage (as root): bench/run_all.sh [BUILD_DIR]   (a Release build is best)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${1:-$HERE/../build}
PORTCULLIS="$BUILD/engine/cli/portcullis serve -c $HERE/portcullis-bench.lua --listen %SOCKET%"
# Portcullis with these checks skips HELO, end of headers and unknown
# commands, and leaves headers unanswered (acknowledged at once on TCP);
# the baseline does the same, so both exchange the same packets.
SKIP=helo,eoh,unknown
LIKE_PORTCULLIS=--no-reply-headers
"$HERE/run_milter_bench.sh" "$BUILD" --filter-cmd "$PORTCULLIS" --baseline-skip "$SKIP" \
  --baseline-args "$LIKE_PORTCULLIS" --rounds 8 --count 10000
"$HERE/run_postfix_bench.sh" "$BUILD" --filter-cmd "$PORTCULLIS" --baseline-skip "$SKIP" \
  --baseline-args "$LIKE_PORTCULLIS"
"$HERE/run_dns_bench.sh" "$BUILD" --rounds 4 --count 10000
"$HERE/run_greylist_bench.sh" "$BUILD" --rounds 3 --count 10000
"$HERE/run_content_bench.sh" "$BUILD" --rounds 3 --count 10000
