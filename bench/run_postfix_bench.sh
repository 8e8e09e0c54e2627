#!/usr/bin/env bash
# End-to-end benchmark through a private, throwaway Postfix instance:
# smtp-source -> Postfix smtpd (+ milter) -> queue -> smtp client -> smtp-sink,
# all on 127.0.0.1. Cases: no milter, null filter on unix and inet, the filter
# under test on unix and inet, and single-session cases showing what
# SMFIP_NR_* does to Postfix (which leaves Nagle on for its milter socket).
#
# Usage (as root): bench/run_postfix_bench.sh [BUILD_DIR] [options]
#   --filter-cmd CMD   filter under test, %SOCKET% = socket spec (env FILTER_CMD;
#                      default: the null filter)
#   --baseline-skip S  stages the null filter skips (SMFIP_NO*), e.g.
#                      helo,eoh,data,unknown to exchange what the filter does
#   --baseline-args A  more null filter options (e.g. --no-reply-headers)
#   --count N          messages per case (3000)       --sessions S  smtp-source -s (30)
#   --rounds R         times the 30-session null/filter pairs run, alternating
#                      which goes first (3); ratios are per round, then median
#   --single-count N   messages per single-session case (300)
#   --timeout S        per-case bound in seconds (120)
#   --out DIR          results directory (bench/results)
# Writes DIR/postfix-<UTC date>.json and .md.
#
# What a private Postfix instance needs (found out on Postfix 3.7, Debian 12):
#  * run as root; `postfix -c DIR start` works without alternate_config_directories
#    (that list is only checked for unprivileged postdrop/sendmail/postqueue);
#  * the temp dir must be traversable by user postfix (mktemp gives 0700: chmod 755);
#  * data_directory must be owned by postfix, or master dies on master.lock;
#    queue_directory subdirs are created by `postfix -c DIR check`;
#  * maillog_file needs the `postlog unix-dgram ... postlogd` service in master.cf
#    and its directory listed in maillog_file_prefixes;
#  * smtp-sink refuses to run as root without -u USER;
#  * the smtp client must not see its own myhostname in the sink's greeting
#    (mail loops back to myself), so the sink runs with -h sink.invalid;
#  * a unix milter socket must be writable by postfix: filters start under umask 000.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/bench_common.sh
source "$HERE/lib/bench_common.sh"

BUILD=./build
if [[ $# -gt 0 && $1 != --* ]]; then BUILD=$1; shift; fi
FILTER_CMD=${FILTER_CMD:-}
BASELINE_SKIP=${BASELINE_SKIP:-}
BASELINE_ARGS=${BASELINE_ARGS:-}
COUNT=3000 SESSIONS=30 ROUNDS=3 SINGLE_COUNT=300 CASE_TIMEOUT=120 OUT=$HERE/results
while [[ $# -gt 0 ]]; do
  case $1 in
    --filter-cmd) FILTER_CMD=$2; shift 2 ;;
    --baseline-skip) BASELINE_SKIP=$2; shift 2 ;;
    --baseline-args) BASELINE_ARGS=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --sessions) SESSIONS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --single-count) SINGLE_COUNT=$2; shift 2 ;;
    --timeout) CASE_TIMEOUT=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) bench_die "unknown argument $1" ;;
  esac
done
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || bench_die "--rounds wants a count of 1 or more, not '$ROUNDS'"
[[ $(id -u) -eq 0 ]] || bench_die "must run as root (private Postfix instance)"
command -v postfix >/dev/null || bench_die "postfix not installed"
SMTP_SOURCE=$(command -v smtp-source || echo /usr/sbin/smtp-source)
SMTP_SINK=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
NULL_FILTER=$(bench_find_binary "$BUILD" portcullis_null_filter) || bench_die "portcullis_null_filter not found under $BUILD"
FILTER_NAME=${FILTER_CMD:-null filter (stand-in for the filter under test)}
FILTER_CMD=${FILTER_CMD:-$NULL_FILTER --socket %SOCKET% --nodelay}

WORK=$(mktemp -d /tmp/portcullis-postfix-bench.XXXXXX)
chmod 755 "$WORK"
PF=$WORK/postfix            # config_directory
mkdir -p "$PF" "$WORK/queue" "$WORK/data" "$WORK/cases"
chown postfix "$WORK/data"
STAMP=$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

postfix_running() { [[ -s $WORK/queue/pid/master.pid ]] && kill -0 "$(tr -d ' ' <"$WORK/queue/pid/master.pid")" 2>/dev/null; }
postfix_stop() {
  postfix_running || return 0
  local master; master=$(tr -d ' ' <"$WORK/queue/pid/master.pid")
  postfix -c "$PF" stop >/dev/null 2>&1 || true
  local i; for i in $(seq 1 50); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
  # master stops its children; if it did not exit, end it (and so them) by PID.
  kill -0 "$master" 2>/dev/null && kill -KILL "$master" 2>/dev/null || true
}
cleanup() { postfix_stop; bench_stop_all; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

SMTPD_PORT=$(bench_free_port)
SINK_PORT=$(bench_free_port)
[[ $SMTPD_PORT != "$SINK_PORT" ]] || SINK_PORT=$(bench_free_port)

write_config() {  # $1 = smtpd_milters value
  cat >"$PF/main.cf" <<CF
compatibility_level = 3.7
queue_directory = $WORK/queue
data_directory = $WORK/data
mail_owner = postfix
setgid_group = postdrop
myhostname = portcullis-bench.invalid
mydomain = portcullis-bench.invalid
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
default_transport = smtp:[127.0.0.1]:$SINK_PORT
relay_transport = smtp:[127.0.0.1]:$SINK_PORT
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
maillog_file = $WORK/maillog
maillog_file_prefixes = $WORK
syslog_name = portcullis-bench
alias_maps =
alias_database =
local_recipient_maps =
biff = no
# No arrival throttling: we want smtpd (and so the milter) to set the pace.
in_flow_delay = 0
milter_protocol = 6
milter_default_action = accept
smtpd_milters = $1
CF
  cat >"$PF/master.cf" <<CF
127.0.0.1:$SMTPD_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CF
}

sent_count() { grep -c ' status=sent ' "$WORK/maillog" 2>/dev/null || true; }
proc_cpu() {  # utime+stime seconds of a PID, "" if gone
  python3 - "$1" <<'PY' 2>/dev/null || true
import os, sys
s = open("/proc/%s/stat" % sys.argv[1]).read()
f = s[s.rindex(")") + 2:].split()
print((int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK"))
PY
}
machine_cpu() {  # seconds all CPUs spent busy since boot
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / {print ($2 + $3 + $4 + $7 + $8) / hz; exit}' /proc/stat
}
proc_hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || true; }

bench_log "starting smtp-sink on 127.0.0.1:$SINK_PORT"
bench_start "$WORK/sink.log" "$SMTP_SINK -u postfix -h sink.invalid 127.0.0.1:$SINK_PORT 512"
bench_wait_tcp "$SINK_PORT" 10 || bench_die "smtp-sink did not start"

# run_case NAME SOCKET_KIND(none|unix|inet) FILTER_TEMPLATE SESSIONS COUNT
run_case() {
  local name=$1 kind=$2 template=$3 sessions=$4 count=$5
  local socket="" filter_pid="" milters=""
  case $kind in
    unix) socket="unix:$WORK/$name.sock" ;;
    inet) socket="inet:$(bench_free_port)@127.0.0.1" ;;
  esac
  if [[ -n $socket ]]; then
    local cmd=${template//%SOCKET%/$socket}
    BENCH_UMASK=000 bench_start "$WORK/$name.filter.log" "$cmd"
    filter_pid=$BENCH_LAST_PID
    # Postfix spells inet sockets inet:HOST:PORT; libmilter inet:PORT@HOST.
    if [[ $kind == inet ]]; then
      local port=${socket#inet:}; port=${port%@*}
      milters="inet:127.0.0.1:$port"
      bench_wait_tcp "$port" 15 || bench_die "$name: filter did not listen on $socket"
    else
      milters=$socket
      local i; for i in $(seq 1 150); do [[ -S $WORK/$name.sock ]] && break; sleep 0.1; done
      [[ -S $WORK/$name.sock ]] || bench_die "$name: filter did not create $socket"
    fi
  fi
  write_config "$milters"
  : >"$WORK/maillog"
  postfix -c "$PF" check >/dev/null 2>&1 || bench_die "postfix check failed: $(tail -3 "$WORK/maillog")"
  postfix -c "$PF" start >/dev/null 2>&1 || bench_die "postfix start failed: $(tail -3 "$WORK/maillog")"
  bench_wait_tcp "$SMTPD_PORT" 15 || bench_die "postfix smtpd did not listen"
  local cpu0="" ; [[ -n $filter_pid ]] && cpu0=$(proc_cpu "$filter_pid")
  bench_log "$name: $count messages, $sessions sessions, milter=${milters:-none}"

  local t0 t1 t2 rc=0 sent=0 mcpu0 mcpu1
  mcpu0=$(machine_cpu)
  t0=$(date +%s.%N)
  timeout "$CASE_TIMEOUT" "$SMTP_SOURCE" -s "$sessions" -m "$count" -l 5120 \
    -f sender@example.org -t rcpt@example.net -M client.invalid "127.0.0.1:$SMTPD_PORT" \
    >"$WORK/$name.source.log" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  # Deliveries trail injection; wait for all of them, within the same bound.
  # Polled every 50 ms so the wait adds little to a run of a few seconds.
  local deadline=$((${t0%.*} + CASE_TIMEOUT))
  while :; do
    sent=$(sent_count)
    (( sent >= count || $(date +%s) >= deadline )) && break
    sleep 0.05
  done
  t2=$(date +%s.%N)
  mcpu1=$(machine_cpu)
  local cpu1="" hwm=""
  if [[ -n $filter_pid ]]; then cpu1=$(proc_cpu "$filter_pid"); hwm=$(proc_hwm "$filter_pid"); fi
  local milter_errors; milter_errors=$(grep -c 'milter' "$WORK/maillog" | tr -d ' ' || true)
  postfix_stop
  [[ -n $filter_pid ]] && bench_stop "$filter_pid"
  # The queue is left empty for the next case; anything left is reported.
  python3 - "$WORK/cases/$name.json" <<PY
import json
t0, t1, t2 = $t0, $t1, $t2
count, sent = $count, $sent
cpu0, cpu1 = "${cpu0}", "${cpu1}"
d = dict(case="$name", socket_kind="$kind", milter="$milters", sessions=$sessions,
         messages=count, delivered=sent, source_exit=$rc,
         inject_s=round(t1 - t0, 3), deliver_s=round(t2 - t0, 3),
         inject_msgs_per_s=round(count / (t1 - t0), 1) if $rc == 0 else None,
         delivered_msgs_per_s=round(sent / (t2 - t0), 1),
         complete=sent >= count, milter_log_lines=int("${milter_errors:-0}" or 0),
         machine_cpu_us_per_msg=round(($mcpu1 - $mcpu0) * 1e6 / max(sent, 1), 1))
if cpu0 and cpu1:
    d["filter_cpu_s"] = round(float(cpu1) - float(cpu0), 3)
    d["filter_cpu_us_per_msg"] = round((float(cpu1) - float(cpu0)) * 1e6 / max(sent, 1), 1)
if "${hwm}":
    d["filter_vm_hwm_kb"] = int("${hwm}")
json.dump(d, open("$WORK/cases/$name.json", "w"))
print(json.dumps(d))
PY
  [[ ${milter_errors:-0} -eq 0 ]] || bench_log "$name: maillog mentions milter: $(grep milter "$WORK/maillog" | head -2)"
}

ANSWERING_NULL="$NULL_FILTER --socket %SOCKET% --nodelay${BASELINE_SKIP:+ --skip $BASELINE_SKIP}"
NULL_CMD="$ANSWERING_NULL${BASELINE_ARGS:+ $BASELINE_ARGS}"
run_case none none "" "$SESSIONS" "$COUNT"
# The null/filter pairs run ROUNDS times, the first of a pair alternating;
# each round gives a ratio, the report gives their median.
run_pair_case() {  # ROLE KIND ROUND
  local template=$FILTER_CMD
  [[ $1 == null ]] && template=$NULL_CMD
  run_case "$1-$2-r$3" "$2" "$template" "$SESSIONS" "$COUNT"
}
bench_alternating_rounds "$ROUNDS" null filter "unix inet" run_pair_case
# One SMTP session at a time: the per-session delayed-ACK stall is undiluted.
run_case single-none none "" 1 "$SINGLE_COUNT"
run_case single-null-inet inet "$ANSWERING_NULL" 1 "$SINGLE_COUNT"
run_case single-null-inet-noreply inet "$ANSWERING_NULL --no-reply" 1 "$SINGLE_COUNT"
run_case single-null-unix-noreply unix "$ANSWERING_NULL --no-reply" 1 "$SINGLE_COUNT"
# Headers unanswered, acknowledged at once (TCP_QUICKACK), as Portcullis does.
run_case single-null-inet-quickack inet "$ANSWERING_NULL --no-reply-headers" 1 "$SINGLE_COUNT"
# The filter under test, one session at a time: a stage it skips can leave
# Postfix writing two packets back to back and waiting on a delayed ACK.
run_case single-filter-inet inet "$FILTER_CMD" 1 "$SINGLE_COUNT"
run_case single-filter-unix unix "$FILTER_CMD" 1 "$SINGLE_COUNT"

python3 - "$WORK/cases" "$OUT/postfix-$STAMP" "$STAMP" "$FILTER_NAME" "$COUNT" "$SESSIONS" <<'PY'
import glob, json, os, platform, sys
cases_dir, prefix, stamp, filter_name, count, sessions = sys.argv[1:]
singles = ["single-none", "single-null-inet", "single-null-inet-noreply",
           "single-null-unix-noreply", "single-null-inet-quickack", "single-filter-inet",
           "single-filter-unix"]
cases = {json.load(open(p))["case"]: json.load(open(p)) for p in glob.glob(cases_dir + "/*.json")}
rounds = sorted({int(n.rsplit("-r", 1)[1]) for n in cases if n.startswith(("null-", "filter-"))})
order = ["none"] + ["%s-%s-r%d" % (w, k, r) for r in rounds for k in ("unix", "inet")
                    for w in (("null", "filter") if r % 2 else ("filter", "null"))] + singles
rows = [cases[n] for n in order if n in cases]
def ratio(a, b, key="delivered_msgs_per_s"):
    if a in cases and b in cases and cases[b].get(key):
        return round(cases[a][key] / cases[b][key], 3)
def median(xs):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    mid = len(xs) // 2
    return round(xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2, 3)
def pooled(who, kind):  # all rounds' messages over all rounds' time
    rs = [cases.get("%s-%s-r%d" % (who, kind, r)) for r in rounds]
    rs = [c for c in rs if c]
    return sum(c["delivered"] for c in rs) / sum(c["deliver_s"] for c in rs) if rs else None
per_round = {k: [ratio("filter-%s-r%d" % (k, r), "null-%s-r%d" % (k, r)) for r in rounds]
             for k in ("unix", "inet")}
none_rate = cases["none"]["delivered_msgs_per_s"] if "none" in cases else None
ratios = {"filter_unix_over_null_unix_median": median(per_round["unix"]),
          "filter_inet_over_null_inet_median": median(per_round["inet"]),
          "filter_unix_over_null_unix_pooled": round(pooled("filter", "unix") / pooled("null", "unix"), 3),
          "filter_inet_over_null_inet_pooled": round(pooled("filter", "inet") / pooled("null", "inet"), 3),
          "null_unix_over_none": round(pooled("null", "unix") / none_rate, 3) if none_rate else None,
          "null_inet_over_none": round(pooled("null", "inet") / none_rate, 3) if none_rate else None,
          "single_noreply_inet_over_reply_inet": ratio("single-null-inet-noreply", "single-null-inet"),
          "single_quickack_inet_over_reply_inet": ratio("single-null-inet-quickack", "single-null-inet"),
          "single_filter_inet_over_null_inet": ratio("single-filter-inet", "single-null-inet")}
doc = dict(kind="postfix", date=stamp, host=platform.node(), cpus=os.cpu_count(),
           postfix=os.popen("postconf -h mail_version").read().strip(),
           filter_under_test=filter_name, message_size=5120, count=int(count),
           sessions=int(sessions), cases=rows, ratios=ratios,
           per_round_filter_over_null=per_round,
           note="shared noisy machine: compare ratios from the same run")
json.dump(doc, open(prefix + ".json", "w"), indent=2)
md = ["# Postfix end-to-end benchmark %s" % stamp, "",
      "Postfix %s, %s CPUs, 5 KB messages from smtp-source, relayed to smtp-sink on loopback." % (doc["postfix"], doc["cpus"]),
      "Filter under test: `%s`. Shared, noisy machine: read ratios from this run." % filter_name, "",
      "| case | milter | sessions | messages | delivered | inject msgs/s | delivered msgs/s | filter CPU us/msg | machine CPU us/msg | filter VmHWM KiB |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    md.append("| %s | %s | %d | %d | %d | %s | %s | %s | %s | %s |" % (
        r["case"], r["milter"] or "-", r["sessions"], r["messages"], r["delivered"],
        r["inject_msgs_per_s"], r["delivered_msgs_per_s"], r.get("filter_cpu_us_per_msg", "-"),
        r.get("machine_cpu_us_per_msg", "-"), r.get("filter_vm_hwm_kb", "-")))
md += ["", "Filter over null per round (delivered msgs/s): " +
       "; ".join("%s %s" % (k, ", ".join(str(x) for x in v)) for k, v in per_round.items()),
       "", "Ratios (delivered msgs/s; pooled = all rounds' messages over all rounds' time): " +
       ", ".join("%s = %s" % kv for kv in ratios.items())]
open(prefix + ".md", "w").write("\n".join(md) + "\n")
print("\n".join(md))
PY
bench_log "wrote $OUT/postfix-$STAMP.json and .md"
