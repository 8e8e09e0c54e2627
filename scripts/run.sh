#!/usr/bin/env bash
# Set up and run: install what is missing, build, and start `portcullis
# serve` in the foreground on the built-in defaults (examples/portcullis.lua:
# milter on inet:11332@127.0.0.1, metrics on 127.0.0.1:9465). Extra
# arguments go to `portcullis serve` (e.g. -c /etc/portcullis/portcullis.lua).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
exec "${BUILD_DIR:-$root/build}/engine/cli/portcullis" serve "$@"
