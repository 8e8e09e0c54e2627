# Shared helpers for the benchmark scripts (sourced, not executed).
#
# Tracks every process the scripts start so the EXIT trap can end exactly
# those, by PID; never by name. Requires bash 4+.

BENCH_PIDS=()

bench_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
bench_die() { bench_log "error: $*"; exit 1; }

# Finds a built binary in BUILD (top-level build dirs put it in bench/).
bench_find_binary() {
  local build=$1 name=$2 candidate
  for candidate in "$build/bench/$name" "$build/$name"; do
    [[ -x $candidate ]] && { printf '%s\n' "$candidate"; return 0; }
  done
  candidate=$(find "$build" -maxdepth 4 -type f -name "$name" -perm -u+x 2>/dev/null | head -n1)
  [[ -n $candidate ]] && { printf '%s\n' "$candidate"; return 0; }
  return 1
}

# Prints a TCP port on 127.0.0.1 that was free a moment ago.
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts a command line in the background (exec'd, so $! is the daemon's own
# PID), records it in BENCH_PIDS for the EXIT trap and in BENCH_LAST_PID.
# Call it directly, never in $(...): a subshell would lose the record.
# BENCH_UMASK (default 022) is applied first; filters get 000 so an MTA
# running as another user can connect to their unix socket.
BENCH_LAST_PID=
bench_start() {
  local log=$1; shift
  bash -c "umask ${BENCH_UMASK:-022}; exec $*" >>"$log" 2>&1 &
  BENCH_LAST_PID=$!
  BENCH_PIDS+=("$BENCH_LAST_PID")
}

# Stops one PID we started: TERM, wait up to 5 s, then KILL.
bench_stop() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

bench_stop_all() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do bench_stop "$pid"; done
  BENCH_PIDS=()
}

# Waits until a TCP port on 127.0.0.1 accepts connections, up to $2 seconds.
bench_wait_tcp() {
  local port=$1 seconds=${2:-10} i
  for i in $(seq 1 $((seconds * 10))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Calls FN ROLE KIND ROUND for rounds 1..ROUNDS and each KIND, the two roles
# taking turns to go first, so that drift on the shared machine and warm
# caches favour neither. Usage: bench_alternating_rounds ROUNDS FIRST SECOND "KINDS" FN
bench_alternating_rounds() {
  local rounds=$1 first=$2 second=$3 fn=$5 round kind role
  local -a kinds pair
  read -ra kinds <<<"$4"
  for round in $(seq 1 "$rounds"); do
    for kind in "${kinds[@]}"; do
      if (( round % 2 )); then pair=("$first" "$second"); else pair=("$second" "$first"); fi
      for role in "${pair[@]}"; do "$fn" "$role" "$kind" "$round"; done
    done
  done
}
