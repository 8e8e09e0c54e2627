#!/bin/sh
# Run the Portcullis end-to-end tests against a private Postfix instance.
#
#   tests/e2e/run_e2e.sh [--bin PATH/TO/portcullis] [tests/e2e/test_X.py ...]
#
# Without file arguments every tests/e2e/test_*.py is run.  Must run as root.
# Env: PORTCULLIS_BIN (daemon under test), PORTCULLIS_E2E_KEEP=1 (keep temp
# dirs), PORTCULLIS_E2E_VERBOSE=1 (print maillog + milter stderr),
# PORTCULLIS_E2E_TMPDIR (parent of the temp dirs, default /tmp; keep it
# short: unix socket paths must stay < 108 bytes).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ "${1:-}" = "--bin" ]; then
    PORTCULLIS_BIN=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
    export PORTCULLIS_BIN
    shift 2
fi
if [ "$(id -u)" != 0 ]; then
    echo "run_e2e.sh: must run as root (private Postfix instance)" >&2
    exit 2
fi
cd "$root"            # unittest maps tests/e2e/test_X.py to a module name relative to cwd
if [ $# -eq 0 ]; then
    set -- tests/e2e/test_*.py
fi
rc=0
for t in "$@"; do
    case "$t" in /*) t=${t#"$root"/} ;; esac
    python3 -m unittest -v "$t" || rc=1
done
exit $rc
