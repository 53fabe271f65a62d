#!/usr/bin/env bash
# SIPp load against the release sipbench-server with the project's own
# scenario (sipp/uac_call.xml: PCMU offer, SDP answer required, BYE from
# SIPp after the hold). Builds release, starts the server with a report
# directory, runs SIPp at the given rate, then prints SIPp's outcome, the
# server's CPU time per completed call (its threads' run time from /proc,
# lib.sh's cpu_ns, before and after the load) and its peak RSS (VmHWM), stops the server by
# PID and exits non-zero if any call failed (for SIPp or for the server).
#
#   scripts/sipp-load.sh [--rate CPS] [--calls N] [--transport u1|un|t1|tn]
#                        [--shards N] [--duration-ms MS] [--limit N]
#                        [--port P] [--server-arg ARG]... [--server PATH]
#                        [--report DIR] [--reference]
# --transport is SIPp's -t: u1/un over UDP, t1 (one TCP connection for
# every call) or tn (a TCP connection per call); the server listens on
# UDP and TCP on the same port either way.
# Defaults: 1000 calls/s, 10000 calls, u1, 0 ms hold, shards = cores - 1
# (one core left to SIPp; 1 shard on a 2-core box),
# port 5070 (SIPp on P+1, media P+2, control P+6), the release build
# (built here unless --server names a binary), report in
# reports/sipp-load-<date>. --reference then runs the same SIPp load
# against SIPp's own UAS (sipp -sn uas) and prints its CPU per call and
# the ratio to ours: a reference measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

rate=1000 calls=10000 transport=u1 shards=$(( $(nproc) > 2 ? $(nproc) - 1 : 1 )) hold=0 port=5070 limit=""
server_bin="" report="" reference=0
server_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift ;;
    --calls) calls=$2; shift ;;
    --transport) transport=$2; shift ;;
    --shards) shards=$2; shift ;;
    --duration-ms) hold=$2; shift ;;
    --limit) limit=$2; shift ;;
    --port) port=$2; shift ;;
    --server-arg) server_args+=("$2"); shift ;;
    --server) server_bin=$2; shift ;;
    --report) report=$2; shift ;;
    --reference) reference=1 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$transport" in u1|un|t1|tn) ;; *) echo "--transport must be u1, un, t1 or tn" >&2; exit 2 ;; esac
require_sipp

ensure_server_bin

[ -n "$report" ] || report="reports/sipp-load-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$report"
cp sipp/uac_call.xml "$report/"
# Concurrent calls SIPp allows: the hold plus a second of slack at the rate.
[ -n "$limit" ] || limit=$(( rate * (hold + 1000) / 1000 + 100 ))
# Hard limit for SIPp: the nominal run time, the hold, plus generous slack.
budget=$(( calls / rate + hold / 1000 + 60 ))

"$server_bin" --listen "127.0.0.1:$port" --listen "tcp:127.0.0.1:$port" --shards "$shards" --report "$report" --quiet \
  "${server_args[@]}" >"$report/server.txt" 2>"$report/server.log" &
server=$!
stop_server() { kill -TERM "$server" 2>/dev/null || true; }
trap stop_server EXIT
wait_listening

# The SIPp UAC load against 127.0.0.1:$port, run in directory $1.
run_uac() {
  (cd "$1" && timeout -s KILL "$budget" sipp -sf uac_call.xml "127.0.0.1:$port" -i 127.0.0.1 \
    -p $(( port + 1 )) -mp $(( port + 2 )) -cp $(( port + 6 )) -t "$transport" -max_socket 4096 \
    -r "$rate" -m "$calls" -l "$limit" -d "$hold" -nostdin -timeout "$(( budget - 5 ))s" -timeout_error \
    -trace_stat -stf stat.csv -fd 1 -trace_err -trace_screen -screen_file screen.log >sipp.txt 2>sipp.err)
}
cpu0=$(cpu_ns "$server")

echo "== SIPp uac_call.xml: $calls calls at $rate/s, hold ${hold} ms, -t $transport, limit $limit; server: $shards shard(s), pid $server"
started=$(date +%s.%N)
set +e
run_uac "$report"
sipp_rc=$?
set -e
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
cpu1=$(cpu_ns "$server")
rss_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$server/status")

# Stop the server by PID and wait (bounded) for its summary.
stop_server_by_pid
trap - EXIT

# The last row of SIPp's statistics, by column name.
ok=$(sipp_stat 'SuccessfulCall(C)')
failed=$(sipp_stat 'FailedCall(C)')
retrans=$(sipp_stat 'Retransmissions(C)')
completed=$(server_line 'calls completed')
srv_failed=$(server_line 'calls failed')
cpu_us=$(awk -v a="$cpu0" -v b="$cpu1" -v n="${completed:-0}" \
  'BEGIN { if (n > 0) printf "%.1f", (b - a) / 1000 / n; else print "n/a" }')
cpu_s=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')

echo
cat "$report/server.txt"
echo
echo "== outcome (SIPp exit $sipp_rc, ${elapsed} s)"
printf '%-24s %10s %10s\n' "" SIPp server
printf '%-24s %10s %10s\n' "successful / completed" "${ok:-?}" "${completed:-?}"
printf '%-24s %10s %10s\n' "failed" "${failed:-?}" "${srv_failed:-?}"
printf '%-24s %10s\n' "SIPp retransmissions" "${retrans:-?}"
echo "server CPU during load  ${cpu_s} s (all threads, schedstat)"
echo "server CPU per call     ${cpu_us} us"
echo "server peak RSS         $(( ${rss_kb:-0} / 1024 )) MiB (VmHWM ${rss_kb:-?} kB)"
echo "report files            $report/{summary.json,latency.txt,server.txt,stat.csv,screen.log}"
echo "latency distributions   $(cd "$report" && ls -- *.hgrm 2>/dev/null | tr '\n' ' ')"
echo "plots                   $(cd "$report" && ls -- *.svg 2>/dev/null | tr '\n' ' ')"


pass=0
[ "$sipp_rc" = 0 ] && [ "$failed" = 0 ] && [ "$ok" = "$calls" ] && [ "${srv_failed:-1}" = 0 ] && pass=1

if [ "$reference" = 1 ]; then
  # SIPp's own UAS on the same port, the same UAC load, the same clock.
  ref="$report/reference" && mkdir -p "$ref" && cp sipp/uac_call.xml "$ref/"
  # exec: $! is SIPp itself (its CPU is what we read); -timeout bounds it.
  (cd "$ref" && exec sipp -sn uas -t "$transport" -i 127.0.0.1 -p "$port" -mp $(( port + 3 )) -cp $(( port + 7 )) \
    -nostdin -timeout "$(( budget + 30 ))s" >uas.txt 2>uas.err) &
  uas=$!
  trap 'kill -TERM "$uas" 2>/dev/null || true' EXIT
  sleep 1
  kill -0 "$uas" 2>/dev/null || { cat "$ref/uas.err" >&2; exit 1; }
  ref0=$(cpu_ns "$uas")
  set +e; run_uac "$ref"; set -e
  ref1=$(cpu_ns "$uas")
  kill -TERM "$uas" 2>/dev/null || true
  wait "$uas" 2>/dev/null || true
  trap - EXIT
  ref_ok=$(report=$ref sipp_stat 'SuccessfulCall(C)')
  ref_us=$(awk -v a="$ref0" -v b="$ref1" -v n="${ref_ok:-0}" \
    'BEGIN { if (n > 0) printf "%.1f", (b - a) / 1000 / n; else print "n/a" }')
  echo "SIPp's own UAS, same load ${ref_ok:-?} calls successful, CPU per call ${ref_us} us"
  awk -v a="$cpu_us" -v b="$ref_us" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "ratio                   SIPp UAS / sipbench = %.1fx\n", b / a }'
fi
[ "$pass" = 1 ]
