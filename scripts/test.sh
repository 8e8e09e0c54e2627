#!/usr/bin/env bash
# Set up and run every test: install what is missing (build and test tools),
# build with warnings as errors, run the unit, integration and end-to-end
# tests with ctest, then the unit and integration tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer and under ThreadSanitizer
# (PORTCULLIS_SKIP_SANITIZERS=1 skips those two passes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" --test

build_dir=${BUILD_DIR:-$root/build}
BUILD_DIR=$build_dir "$root/scripts/build.sh" -DPORTCULLIS_WERROR=ON
(cd "$build_dir" && ctest --output-on-failure --timeout 900 -j 2 -LE e2e)
(cd "$build_dir" && ctest --output-on-failure --timeout 900 -L e2e)

if [[ "${PORTCULLIS_SKIP_SANITIZERS:-0}" != 1 ]]; then
  asan_dir=${build_dir}-asan
  BUILD_DIR=$asan_dir BUILD_TYPE=Debug "$root/scripts/build.sh" \
    -DPORTCULLIS_WERROR=ON -DPORTCULLIS_ASAN=ON -DPORTCULLIS_BENCH=OFF
  (cd "$asan_dir" && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure --timeout 900 -j 2 -L 'unit|integration')

  tsan_dir=${build_dir}-tsan
  BUILD_DIR=$tsan_dir BUILD_TYPE=Debug "$root/scripts/build.sh" \
    -DPORTCULLIS_WERROR=ON -DPORTCULLIS_TSAN=ON -DPORTCULLIS_BENCH=OFF
  # halt_on_error: a race makes the daemon or test exit non-zero, so it fails.
  (cd "$tsan_dir" && TSAN_OPTIONS="suppressions=$root/tests/tsan.supp halt_on_error=1" \
    ctest --output-on-failure --timeout 900 -j 2 -L 'unit|integration')
fi
