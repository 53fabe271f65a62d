#!/usr/bin/env bash
# The main job: build release, start sipbench-server with a report
# directory, drive it with SIPp to 1,000+ concurrent calls, stop it by PID,
# and print SIPp's outcome beside the server's counters, the server's CPU
# time per call and peak RSS. Exits non-zero if any call failed.
#
#   scripts/bench.sh [--rate CPS] [--calls N] [--hold-ms MS] [--shards N]
#                    [--transport u1|un] [--port P] [--quick]
# Defaults: 400 calls/s, 3 s calls (about 1,200 concurrent), 8,000 calls;
# shards: one core is left to SIPp (1 shard on a 2-core box).
set -euo pipefail
cd "$(dirname "$0")/.."

rate=400 calls=8000 hold=3000 shards=$(( $(nproc) > 2 ? $(nproc) - 1 : 1 )) transport=u1 port=5060
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift ;;
    --calls) calls=$2; shift ;;
    --hold-ms) hold=$2; shift ;;
    --shards) shards=$2; shift ;;
    --transport) transport=$2; shift ;;
    --port) port=$2; shift ;;
    --quick) rate=200 calls=600 hold=1000 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1" >&2; exit 2 ;;
  esac
  shift
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v sipp >/dev/null 2>&1; then
  as_root apt-get update -q && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q sip-tester
fi
cargo build --release --bin sipbench-server

report="reports/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$report"
limit=$(( rate * (hold + 2000) / 1000 + 200 ))
run_for=$(( calls / rate + hold / 1000 + 30 ))
target/release/sipbench-server --listen "127.0.0.1:$port" --shards "$shards" --report "$report" \
  --run-for "$run_for" --quiet >"$report/server.txt" 2>"$report/server.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true' EXIT
sleep 0.5
kill -0 "$server" 2>/dev/null || { cat "$report/server.log" >&2; exit 1; }
# CPU time in ns over every thread (schedstat), else clock ticks.
tick=$(getconf CLK_TCK)
cpu() {
  if ls /proc/"$server"/task/*/schedstat >/dev/null 2>&1; then
    cat /proc/"$server"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'
  else
    awk -v t="$tick" '{ printf "%.0f", ($14 + $15) * 1e9 / t }' "/proc/$server/stat"
  fi
}
cpu0=$(cpu)

echo "== SIPp: $calls calls at $rate/s, ${hold} ms each (limit $limit concurrent), transport $transport, $shards shard(s)"
set +e
timeout $(( run_for + 30 )) sipp -sn uac "127.0.0.1:$port" -p $(( port + 1000 )) -t "$transport" \
  -r "$rate" -m "$calls" -l "$limit" -d "$hold" -nostdin -max_socket 4096 >"$report/sipp.txt" 2>&1
sipp_rc=$?
set -e
cpu1=$(cpu)
rss=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
kill -TERM "$server"
wait "$server" || true
trap - EXIT

ok=$(awk -F'|' '/Successful call/ {gsub(/ /,"",$3); print $3}' "$report/sipp.txt" | tail -1)
failed=$(awk -F'|' '/Failed call/ {gsub(/ /,"",$3); print $3}' "$report/sipp.txt" | tail -1)
completed=$(grep -E '^calls completed' "$report/server.txt" | awk '{print $3}')
srv_failed=$(grep -E '^calls failed' "$report/server.txt" | awk '{print $3}')
cpu_us=$(awk -v a="$cpu0" -v b="$cpu1" -v n="${completed:-0}" \
  'BEGIN { if (n > 0) printf "%.1f", (b - a) / 1000 / n; else print "n/a" }')

echo
cat "$report/server.txt"
echo
printf '%-22s %10s %10s\n' "" SIPp server
printf '%-22s %10s %10s\n' "successful/completed" "${ok:-?}" "${completed:-?}"
printf '%-22s %10s %10s\n' "failed" "${failed:-?}" "${srv_failed:-?}"
echo "server CPU per call    ${cpu_us} us"
echo "server peak RSS        $(( ${rss:-0} / 1024 )) MiB"
echo "report files           $report/summary.json $report/server.txt $report/sipp.txt"

[ "$sipp_rc" = 0 ] && [ "${failed:-1}" = 0 ] && [ "${srv_failed:-1}" = 0 ]
