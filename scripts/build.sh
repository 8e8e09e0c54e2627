#!/usr/bin/env bash
# Configures and builds Portcullis into BUILD_DIR (default: build/).
# Extra arguments go to cmake, e.g. -DPORTCULLIS_ASAN=ON.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
