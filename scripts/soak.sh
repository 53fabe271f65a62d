#!/usr/bin/env bash
# Bounded soak: a steady SIPp load (sipp/uac_call.xml, calls held a few
# seconds) against sipbench-server, then proof that nothing leaked:
#   * RSS once the timers have drained is within a margin of RSS after
#     warm-up (steady concurrency reached);
#   * the server's calls, transactions and timers are all 0 at exit;
#   * every SIPp call is in the server's counters (received, completed).
# Prints an RSS timeline (rss.csv in the report directory) and a verdict;
# exits non-zero on any failed call or check. Stops what it starts by PID.
#
#   scripts/soak.sh [--seconds S] [--rate CPS] [--hold-ms MS] [--shards N]
#                   [--t1-ms MS] [--margin-pct P] [--port P] [--server PATH]
#                   [--report DIR]
# Defaults: 600 s at 100 calls/s held 3000 ms, 1 shard, T1 500 ms (the
# drain wait is 64*T1 + 2 s), margin 10 % (and at least 2 MiB), port 5170,
# the release build (built here unless --server names a binary), report in
# reports/soak-<date>-<pid>.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

seconds=600 rate=100 hold=3000 shards=1 t1=500 margin=10 port=5170 server_bin="" report=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift ;;
    --rate) rate=$2; shift ;;
    --hold-ms) hold=$2; shift ;;
    --shards) shards=$2; shift ;;
    --t1-ms) t1=$2; shift ;;
    --margin-pct) margin=$2; shift ;;
    --port) port=$2; shift ;;
    --server) server_bin=$2; shift ;;
    --report) report=$2; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
require_sipp
ensure_server_bin

calls=$(( rate * seconds ))
limit=$(( rate * (hold + 2000) / 1000 + 100 ))
drain_s=$(( (64 * t1 + 999) / 1000 + 2 ))
# Warm-up: the hold plus 64*T1 (how long finished transactions linger,
# Timers J and L) plus 3 s: only then are calls and transactions steady.
warm_s=$(( (hold + 999) / 1000 + drain_s + 1 ))
[ "$warm_s" -lt "$seconds" ] || { echo "--seconds must exceed the warm-up (${warm_s} s)" >&2; exit 2; }
[ -n "$report" ] || report="reports/soak-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$report"
cp sipp/uac_call.xml "$report/"

"$server_bin" --listen "127.0.0.1:$port" --shards "$shards" --t1-ms "$t1" --report "$report" --quiet \
  >"$report/server.txt" 2>"$report/server.log" &
server=$!
sipp_pid=""
# SIPp runs under timeout(1), which passes a TERM on to it.
cleanup() {
  [ -z "$sipp_pid" ] || kill -TERM "$sipp_pid" 2>/dev/null || true
  kill -TERM "$server" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 143' INT TERM
wait_listening

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$server/status"; }
echo "== soak: $calls calls at $rate/s for ${seconds} s, hold ${hold} ms, $shards shard(s), T1 ${t1} ms; server pid $server"
budget=$(( seconds + hold / 1000 + 60 ))
(cd "$report" && exec timeout -k 5 "$budget" sipp -sf uac_call.xml "127.0.0.1:$port" -i 127.0.0.1 \
  -p $(( port + 1 )) -mp $(( port + 2 )) -cp $(( port + 6 )) -r "$rate" -m "$calls" -l "$limit" -d "$hold" \
  -nostdin -timeout "$(( budget - 5 ))s" -timeout_error -trace_stat -stf stat.csv -fd 1 -trace_err \
  -trace_screen -screen_file screen.log >sipp.txt 2>sipp.err) &
sipp_pid=$!

echo "t_s,rss_kb" >"$report/rss.csv"
t=0 rss_warm=""
while kill -0 "$sipp_pid" 2>/dev/null; do
  sleep 1
  t=$(( t + 1 ))
  echo "$t,$(rss_kb)" >>"$report/rss.csv"
  if [ "$t" -eq "$warm_s" ]; then rss_warm=$(rss_kb); echo "   after warm-up (${t} s): RSS ${rss_warm} kB"; fi
  [ $(( t % 60 )) -ne 0 ] || echo "   ${t} s: RSS $(rss_kb) kB"
done
set +e
wait "$sipp_pid"
sipp_rc=$?
set -e
sipp_pid=""
[ -n "$rss_warm" ] || rss_warm=$(rss_kb)
echo "   SIPp done (exit $sipp_rc); waiting ${drain_s} s for the server's timers (64*T1) to expire"
sleep "$drain_s"
rss_end=$(rss_kb)
echo "$(( t + drain_s )),$rss_end" >>"$report/rss.csv"

stop_server_by_pid
trap - EXIT

ok=$(sipp_stat 'SuccessfulCall(C)') failed=$(sipp_stat 'FailedCall(C)')
received=$(server_line 'calls received') completed=$(server_line 'calls completed') srv_failed=$(server_line 'calls failed')
tables=$(awk 'index($0, "tables at exit") == 1 { sub(/^tables at exit +/, ""); print; exit }' "$report/server.txt")
allowed=$(( rss_warm * margin / 100 ))
[ "$allowed" -ge 2048 ] || allowed=2048

cat "$report/server.txt"
echo
echo "== soak verdict"
printf '%-30s %s\n' "SIPp successful / failed" "$ok / $failed (of $calls, exit $sipp_rc)"
printf '%-30s %s\n' "server received / completed" "$received / $completed (failed $srv_failed)"
printf '%-30s %s\n' "server tables at exit" "$tables"
printf '%-30s %s\n' "RSS after warm-up / drained" "$rss_warm kB / $rss_end kB (allowed growth $allowed kB)"
printf '%-30s %s\n' "report files" "$report/{summary.json,server.txt,rss.csv,stat.csv}"

fail=0
check() { if ! eval "$2"; then echo "FAIL: $1" >&2; fail=1; fi; }
check "SIPp exited $sipp_rc" '[ "$sipp_rc" = 0 ]'
check "SIPp: $ok successful, $failed failed of $calls" '[ "$ok" = "$calls" ] && [ "$failed" = 0 ]'
check "server received $received, completed $completed, failed $srv_failed of $calls" \
  '[ "$received" = "$calls" ] && [ "$completed" = "$calls" ] && [ "$srv_failed" = 0 ]'
check "tables not drained: $tables" '[ "$tables" = "0 calls, 0 server txns, 0 client txns, 0 timers" ]'
check "RSS grew $(( rss_end - rss_warm )) kB (allowed $allowed)" '[ $(( rss_end - rss_warm )) -le "$allowed" ]'
[ "$fail" = 0 ] && echo "soak passed"
exit "$fail"
