#!/usr/bin/env bash
# sipbench-server instances behind Kamailio's dispatcher on one machine
# (issue 31; README "Beyond one machine"). Installs Kamailio (Debian's
# package) when missing, starts N sipbench-server instances (instance i on
# 127.0.1.(10+i):5060 over UDP and TCP, metrics on :9100 of the same
# address, each with --report and --metrics), writes dispatcher.list,
# starts Kamailio in the foreground on 127.0.1.1:5060 with
# deploy/kamailio/kamailio.cfg, drives Kamailio's address with SIPp
# (sipp/uac_cluster_call.xml: the servers hang up, their BYEs come back
# through Kamailio) or sipbench-client, and prints one table: per instance
# calls received/answered/completed/failed, Kamailio's dispatcher state
# per destination (kamcmd dispatcher.list), the caller's outcome. Stops
# everything it started, by PID.
#
#   scripts/cluster.sh [--instances N] [--rate R] [--calls C] [--hold-ms MS]
#                      [--kill-one] [--drain-one] [--add-one]
#                      [--transport udp|tcp] [--driver sipp|client]
#                      [--limit L] [--server PATH] [--report DIR]
#   scripts/cluster.sh --figures        calls/s through Kamailio with 1, 2
#                                       and 3 instances, CPU shares
#
# Defaults: 3 instances, 300 calls/s, 6000 calls, servers hang up 1000 ms
# after the ACK, UDP, SIPp, the release server (built here unless --server
# names a binary), report in reports/cluster-<date>.
# --kill-one   kill -9 the last instance halfway; wait until Kamailio marks
#              it down (probing window: ds_ping_interval 1 s + fr_timer
#              2 s), then a second SIPp run of 3 s must succeed whole; the
#              first run's failed calls are the calls the dead instance held.
# --drain-one  SIGTERM the last instance halfway: it drains (503 +
#              Retry-After to new INVITEs, OPTIONS 503, calls up end by
#              their own BYE) and exits 0; no call fails for the caller.
# --add-one    start instance N+1 halfway, add it to dispatcher.list and
#              `kamcmd dispatcher.reload`: it takes calls.
# --driver client: sipbench-client places the calls and hangs up itself
# (half the servers' hold); --limit: SIPp's -l (most calls up at once).
# Exit status: 0 when every check of the run passed (scripts/cluster-test.sh
# relies on it). REPORT/result.env has the run's figures
# (scripts/cluster-figures.sh reads them); REPORT/prometheus.yml the scrape
# configuration for these instances.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

instances=3 rate=300 calls=6000 hold=1000 transport=udp driver=sipp limit=""
kill_one=0 drain_one=0 add_one=0 figures=0 server_bin="" report=""
while [ $# -gt 0 ]; do
  case "$1" in
    --instances) instances=$2; shift ;;
    --rate) rate=$2; shift ;;
    --calls) calls=$2; shift ;;
    --hold-ms) hold=$2; shift ;;
    --limit) limit=$2; shift ;;
    --kill-one) kill_one=1 ;;
    --drain-one) drain_one=1 ;;
    --add-one) add_one=1 ;;
    --transport) transport=$2; shift ;;
    --driver) driver=$2; shift ;;
    --server) server_bin=$2; shift ;;
    --report) report=$2; shift ;;
    --figures) figures=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#'; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$transport" in udp|tcp) ;; *) echo "--transport must be udp or tcp" >&2; exit 2 ;; esac
case "$driver" in sipp|client) ;; *) echo "--driver must be sipp or client" >&2; exit 2 ;; esac
[ $(( kill_one + drain_one + add_one )) -le 1 ] || { echo "one of --kill-one, --drain-one, --add-one" >&2; exit 2; }
require_sipp
ensure_server_bin

if [ "$figures" = 1 ]; then
  exec scripts/cluster-figures.sh --server "$server_bin" ${report:+--report "$report"}
fi

if ! command -v kamailio >/dev/null 2>&1 || ! command -v kamcmd >/dev/null 2>&1; then
  echo "== installing kamailio"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q kamailio
fi

[ -n "$report" ] || report="reports/cluster-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$report"
report=$(cd "$report" && pwd)
run=$(mktemp -d /tmp/sipbench-cluster.XXXXXX)
front=127.0.1.1
ctl=(kamcmd -s "unix:$run/ctl")
addr() { echo "127.0.1.$(( 10 + $1 ))"; }

pids=() kam=""
stop_all() {
  for f in "$run"/driver-*.pid; do
    [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  pids=()
  if [ -n "$kam" ]; then
    kill -TERM "$kam" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$kam" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$kam" 2>/dev/null && kill -KILL "$kam" 2>/dev/null || true
    wait "$kam" 2>/dev/null || true
    kam=""
  fi
  rm -rf "$run"
}
trap stop_all EXIT

declare -A inst_pid
start_instance() {
  local i=$1 a
  a=$(addr "$1")
  "$server_bin" --listen "udp:$a:5060" --listen "tcp:$a:5060" --shards 1 --no-pin \
    --duration-ms "$hold" --drain-secs 20 --shutdown-secs 5 --metrics "$a:9100" \
    --report "$report/instance$i" --quiet >"$report/instance$i.txt" 2>"$report/instance$i.log" &
  inst_pid[$i]=$!
  pids+=("$!")
  for _ in $(seq 100); do
    grep -q 'metrics at' "$report/instance$i.log" 2>/dev/null && return 0
    kill -0 "${inst_pid[$i]}" 2>/dev/null || { cat "$report/instance$i.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "instance $i did not start" >&2
  exit 1
}
dest() {
  if [ "$transport" = tcp ]; then echo "sip:$(addr "$1"):5060;transport=tcp"; else echo "sip:$(addr "$1"):5060"; fi
}
list_line() { echo "1 $(dest "$1") 0 0 duid=instance$1"; }

for i in $(seq "$instances"); do start_instance "$i"; done
{
  echo "# setid destination flags priority attributes (written by scripts/cluster.sh)"
  for i in $(seq "$instances"); do list_line "$i"; done
} >"$report/dispatcher.list"
# Prometheus' view of this run: deploy/prometheus/prometheus.yml with
# these instances as its targets.
{
  sed '/^          - /d' deploy/prometheus/prometheus.yml
  for i in $(seq "$instances"); do echo "          - $(addr "$i"):9100"; done
} >"$report/prometheus.yml"

kamailio -f deploy/kamailio/kamailio.cfg -DD -E -Y "$run" -P "$run/kamailio.pid" -m 512 -M 16 \
  -l "udp:$front:5060" -l "tcp:$front:5060" \
  -A "DS_LIST=\"$report/dispatcher.list\"" -A "CTL_SOCKET=\"unix:$run/ctl\"" >"$report/kamailio.log" 2>&1 &
kam=$!

# Kamailio's view of destination $1 (the flags column of dispatcher.list:
# AP active+probing, IP inactive+probing, TP trying), or "?".
ds_state() {
  "${ctl[@]}" dispatcher.list 2>/dev/null | awk -v uri="$(dest "$1")" '
    $1 == "URI:" { u = $2 } $1 == "FLAGS:" && u == uri { print $2; found = 1; exit }
    END { if (!found) print "?" }'
}
# Waits (10 s at most) until every instance is active in Kamailio's view.
for _ in $(seq 100); do
  up=0
  for i in $(seq "$instances"); do [ "$(ds_state "$i")" = AP ] && up=$(( up + 1 )); done
  [ "$up" = "$instances" ] && break
  kill -0 "$kam" 2>/dev/null || { cat "$report/kamailio.log" >&2; exit 1; }
  sleep 0.1
done
[ "$up" = "$instances" ] || { echo "Kamailio sees $up of $instances instances up" >&2; "${ctl[@]}" dispatcher.list >&2; exit 1; }

# CPU time (ns) of Kamailio's processes.
kam_cpu_ns() { tree_cpu_ns "$kam"; }

# The caller: SIPp (or sipbench-client) against Kamailio, in $2, port $3.
sipp_t() { if [ "$transport" = tcp ]; then echo t1; else echo u1; fi; }
[ -n "$limit" ] || limit=$(( rate * (hold + 2000) / 1000 + 100 ))
drive() {
  local n=$1 dir=$2 port=$3 budget=$(( $1 / rate + hold / 1000 + 40 ))
  mkdir -p "$dir"
  if [ "$driver" = sipp ]; then
    cp sipp/uac_cluster_call.xml "$dir/"
    (cd "$dir" && exec timeout -s KILL "$budget" sipp -sf uac_cluster_call.xml "$front:5060" -i 127.0.1.100 \
      -p "$port" -mp $(( port + 1000 )) -t "$(sipp_t)" -max_socket 4096 -r "$rate" -m "$n" -l "$limit" \
      -nostdin -timeout "$(( budget - 5 ))s" -timeout_error -trace_stat -stf stat.csv -fd 1 \
      -trace_err -trace_screen -screen_file screen.log >sipp.txt 2>sipp.err) &
  else
    # The client hangs up before the servers would.
    timeout -s KILL "$budget" "$server_bin_client" "$front:5060" --listen "$transport:127.0.1.100:$port" \
      --transport "$transport" --rate "$rate" --calls "$n" --duration-ms $(( hold / 2 )) --shards 1 --no-pin \
      --quiet --report "$dir" >"$dir/client.txt" 2>"$dir/client.log" &
  fi
  # stop_all ends it by this PID (timeout's: it passes the signal on).
  echo "$!" >"$run/driver-$port.pid"
  local rc=0
  wait "$!" || rc=$?
  # The caller's CPU seconds (user + system of what this subshell waited
  # for: timeout and SIPp or the client).
  # (times itself, not in a pipe: a subshell would have no children.)
  times >"$dir/times.txt"
  awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.2f\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$dir/times.txt" >"$dir/cpu_s"
  return "$rc"
}
server_bin_client=$(dirname "$server_bin")/sipbench-client
if [ "$driver" = client ] && [ ! -x "$server_bin_client" ]; then
  cargo build --release --bin sipbench-client
  server_bin_client=target/release/sipbench-client
fi
# Successful and failed calls of a caller's run in $1.
outcome() {
  if [ "$driver" = sipp ]; then
    (report=$1; echo "$(sipp_stat "SuccessfulCall(C)") $(sipp_stat "FailedCall(C)")")
  else
    python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["calls"]; print(c["completed"], c["placed"] - c["completed"])' "$1/summary.json" 2>/dev/null || echo "? ?"
  fi
}
# A counter from instance $1's metrics endpoint.
# A value from instance $1's metrics page (empty when three tries in a
# row cannot read it: a loaded box may be slow to answer).
metric() {
  local page=""
  for _ in 1 2 3; do
    page=$(curl -s --max-time 3 "http://$(addr "$1"):9100/metrics") && break
  done
  awk -v k="$2" '$1 == k { print $2; exit }' <<<"$page"
}

half=$(awk -v c="$calls" -v r="$rate" 'BEGIN { printf "%.1f", c / r / 2 }')
victim=$instances
echo "== $instances instance(s) behind Kamailio ($front:5060, $transport), $driver: $calls calls at $rate/s, servers hang up after $hold ms; report $report"
servers_cpu_ns() {
  local t=0 i
  for i in "${!inst_pid[@]}"; do t=$(( t + $(cpu_ns "${inst_pid[$i]}" || echo 0) )); done
  echo "$t"
}
# Busy and total jiffies of the whole machine (/proc/stat's cpu line).
box_jiffies() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t; exit }' /proc/stat; }
kam0=$(kam_cpu_ns) srv0=$(servers_cpu_ns)
read -r busy0 total0 < <(box_jiffies)
started=$(date +%s.%N)
drive "$calls" "$report/caller" 5061 &
caller=$!
checks=() failed_checks=0
check() {
  if [ "$2" = 1 ]; then checks+=("ok    $1"); else checks+=("FAIL  $1"); failed_checks=$(( failed_checks + 1 )); fi
}
held=0 held_slack=0 down_s="" after_ok="" after_fail="" drain_rc="" added=""
if [ $(( kill_one + drain_one + add_one )) = 1 ]; then
  sleep "$half"
fi
if [ "$kill_one" = 1 ]; then
  t0=$(date +%s.%N)
  held=$(metric "$victim" sipbench_active_calls)
  [ -n "$held" ] || echo "   instance $victim's metrics could not be read before the kill" >&2
  kill -KILL "${inst_pid[$victim]}"
  t1=$(date +%s.%N)
  wait "${inst_pid[$victim]}" 2>/dev/null || true
  for _ in $(seq 100); do
    case "$(ds_state "$victim")" in I*) break ;; esac
    sleep 0.1
  done
  down_s=$(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  # The published count is up to 0.2 s old, and the kill came dt later:
  # calls the victim took or ended meanwhile, at most its share (42 %).
  held_slack=$(awk -v a="$t0" -v b="$t1" -v r="$rate" 'BEGIN { printf "%d", r * 0.42 * (0.25 + b - a) + 1 }')
  echo "   killed instance $victim (-9) holding $held call(s) (+/- $held_slack); marked down after $down_s s"
  drive $(( rate * 3 )) "$report/caller-after" 5071 || true
  read -r after_ok after_fail < <(outcome "$report/caller-after")
  echo "   after the window: $after_ok calls succeeded, $after_fail failed"
elif [ "$drain_one" = 1 ]; then
  kill -TERM "${inst_pid[$victim]}"
  echo "   SIGTERM to instance $victim (drain)"
  set +e
  wait "${inst_pid[$victim]}"
  drain_rc=$?
  set -e
  echo "   instance $victim exited $drain_rc"
elif [ "$add_one" = 1 ]; then
  added=$(( instances + 1 ))
  start_instance "$added"
  list_line "$added" >>"$report/dispatcher.list"
  "${ctl[@]}" dispatcher.reload >/dev/null
  echo "   instance $added started and added (kamcmd dispatcher.reload): $(ds_state "$added")"
fi
set +e
wait "$caller"
caller_rc=$?
set -e
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
kam_cpu_s=$(awk -v a="$kam0" -v b="$(kam_cpu_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
read -r busy1 total1 < <(box_jiffies)
box_busy=$(awk -v b="$(( busy1 - busy0 ))" -v t="$(( total1 - total0 ))" 'BEGIN { printf "%.0f", (t > 0) ? 100 * b / t : 0 }')
# The servers still running (a killed or drained one's time is lost).
srv_cpu_s=$(awk -v a="$srv0" -v b="$(servers_cpu_ns)" 'BEGIN { v = (b - a) / 1e9; printf "%.2f", (v < 0) ? 0 : v }')
read -r ok fail < <(outcome "$report/caller")
last=$instances
[ -z "$added" ] || last=$added
declare -A state
for i in $(seq "$last"); do state[$i]=$(ds_state "$i"); done
"${ctl[@]}" dispatcher.list >"$report/dispatcher-state.txt" 2>&1 || true
curl -s --max-time 2 "http://$(addr 1):9100/metrics" >"$report/metrics-instance1.txt" || true
stop_all
trap - EXIT

# The table.
num() { python3 -c 'import json,sys
try:
    c = json.load(open(sys.argv[1]))["total"]["calls"]
    print(" ".join(str(c[k]) for k in ("received", "answered", "completed", "failed", "overload_rejected")))
except Exception:
    print("- - - - -")' "$1"; }
echo
printf '%-10s %-16s %9s %9s %9s %7s %8s %6s %s\n' instance address received answered completed failed refused share kamailio
total_received=0
declare -A received
for i in $(seq "$last"); do
  read -r rec ans comp fl ref < <(num "$report/instance$i/summary.json")
  received[$i]=$rec
  [ "$rec" = - ] || total_received=$(( total_received + rec ))
done
for i in $(seq "$last"); do
  read -r rec ans comp fl ref < <(num "$report/instance$i/summary.json")
  share=$(awk -v r="$rec" -v t="$total_received" 'BEGIN { if (r == "-" || t == 0) print "-"; else printf "%.1f%%", 100 * r / t }')
  note=""
  [ "$i" = "$victim" ] && [ "$kill_one" = 1 ] && note=" (killed: no report)"
  [ "$i" = "$victim" ] && [ "$drain_one" = 1 ] && note=" (drained, exit $drain_rc)"
  [ "$i" = "$added" ] && note=" (added at run time)"
  printf '%-10s %-16s %9s %9s %9s %7s %8s %6s %s\n' "instance$i" "$(addr "$i"):5060" "$rec" "$ans" "$comp" "$fl" "$ref" "$share" "${state[$i]}$note"
done
echo
echo "caller ($driver): $ok successful, $fail failed of $calls (exit $caller_rc) in $elapsed s: $(awk -v o="$ok" -v e="$elapsed" 'BEGIN { printf "%.0f", o / e }') calls/s"
pct() { awk -v c="$1" -v e="$elapsed" 'BEGIN { printf "%.0f", 100 * c / e }'; }
caller_cpu_s=$(cat "$report/caller/cpu_s" 2>/dev/null || echo 0)
echo "CPU over $elapsed s: kamailio $kam_cpu_s s ($(pct "$kam_cpu_s")% of one core), sipbench-servers $srv_cpu_s s ($(pct "$srv_cpu_s")%), caller $caller_cpu_s s ($(pct "$caller_cpu_s")%); machine $box_busy% busy over $(nproc) cores"

# The checks.
check "every call reached an outcome ($ok + $fail = $calls)" "$([ "$ok" != "?" ] && [ $(( ok + fail )) = "$calls" ] && echo 1)"
if [ "$kill_one" = 1 ]; then
  lo=$(( ${held:-0} - held_slack )) hi=$(( ${held:-0} + held_slack ))
  check "calls lost = calls the killed instance held ($fail in [$lo, $hi])" "$([ -n "$held" ] && [ "$fail" -ge 1 ] && [ "$fail" -ge "$lo" ] && [ "$fail" -le "$hi" ] && echo 1)"
  check "marked down within the probing window ($down_s s <= 4 s)" "$(awk -v d="$down_s" 'BEGIN { print (d <= 4.0) }')"
  check "every call after the window succeeded ($after_ok of $(( rate * 3 )))" "$([ "$after_fail" = 0 ] && [ "$after_ok" = $(( rate * 3 )) ] && echo 1)"
else
  check "no call failed for the caller" "$([ "$fail" = 0 ] && [ "$caller_rc" = 0 ] && echo 1)"
fi
missing=$(grep -o 'sipbench_[a-z0-9_]*' deploy/grafana/sipbench-cluster.json | sort -u | while read -r m; do
  grep -q "^$m[{ ]" "$report/metrics-instance1.txt" || echo "$m"
done)
check "the dashboard's metrics are in instance1's scrape${missing:+ (missing: $missing)}" "$([ -s "$report/metrics-instance1.txt" ] && [ -z "$missing" ] && echo 1)"
if [ "$drain_one" = 1 ]; then
  check "the drained instance exited 0" "$([ "$drain_rc" = 0 ] && echo 1)"
fi
if [ "$added" != "" ]; then
  check "the added instance took calls (${received[$added]})" "$([ "${received[$added]}" != - ] && [ "${received[$added]}" -gt 0 ] && echo 1)"
fi
if [ "$kill_one$drain_one$add_one" = 000 ]; then
  for i in $(seq "$instances"); do
    check "instance$i took 25-42 % of the calls" "$(awk -v r="${received[$i]}" -v t="$total_received" 'BEGIN { print (t > 0 && r / t >= 0.25 && r / t <= 0.42) }')"
  done
  byes=$(python3 -c 'import json,sys
n = 0
for f in sys.argv[1:]:
    n += json.load(open(f))["total"]["messages"]["requests_out_by_method"].get("BYE", 0)
print(n)' "$report"/instance*/summary.json 2>/dev/null || echo 0)
  [ "$driver" = client ] || check "server BYEs reached the caller through Kamailio ($byes sent, $ok calls ended by them)" "$([ "$byes" -ge "$ok" ] && [ "$ok" = "$calls" ] && echo 1)"
fi
echo
printf '%s\n' "${checks[@]}"
cat >"$report/result.env" <<EOF
instances=$instances
calls=$calls
ok=$ok
fail=$fail
elapsed=$elapsed
kam_cpu_s=$kam_cpu_s
srv_cpu_s=$srv_cpu_s
caller_cpu_s=$caller_cpu_s
box_busy=$box_busy
failed_checks=$failed_checks
EOF
[ "$failed_checks" = 0 ]
