#!/usr/bin/env bash
# Bytes per lingering transaction: steady-state RSS growth of the server
# per server transaction created, at a fixed call rate. Calls have no hold
# (each ends at once with BYE), so what grows is what outlives them: the
# INVITE and BYE server transactions lingering 64·T1 (32 s at the default
# T1) to absorb retransmissions. The run is shorter than 64·T1, so none
# expires: RSS grows by what each keeps (slot, key, timer, kept response,
# table indexes). RSS is sampled every 0.5 s; the growth rate is a least-
# squares slope over the samples after the first --warmup seconds,
# divided by the transactions created per second (two per completed call).
#
#   scripts/linger-memory.sh [--rate CPS] [--seconds S] [--warmup S] [--port P]
# Defaults: --rate 10000 --seconds 24 --warmup 6 --port 5350. Server and
# client one shard each (server on the first usable CPU, client on the
# second when there are two). Prints every sample's summary and the figure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

rate=10000 seconds=24 warmup=6 port=5350
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --port) port=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
cargo build --release --bin sipbench-server --bin sipbench-client
report="reports/linger-memory-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$report"
callee_cpu=() caller_cpu=()
usable_cpus
if [ "${#cpus[@]}" -ge 2 ]; then callee_cpu=(taskset -c "${cpus[0]}") caller_cpu=(taskset -c "${cpus[1]}"); fi
"${callee_cpu[@]}" target/release/sipbench-server --listen "127.0.0.1:$port" --shards 1 --no-pin --quiet \
  --max-transactions 10000000 --report "$report" >"$report/server.txt" 2>"$report/server.log" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true' EXIT
wait_listening
calls=$(( rate * seconds ))
timeout -s KILL $(( seconds + 60 )) "${caller_cpu[@]}" target/release/sipbench-client "127.0.0.1:$port" \
  --rate "$rate" --calls "$calls" --no-pin --quiet >"$report/client.txt" 2>"$report/client.log" &
client=$!
t0=$(date +%s.%N)
: >"$report/rss.csv"
while kill -0 "$client" 2>/dev/null; do
  t=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  rss=$(awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$server/status")
  echo "$t,$rss" >>"$report/rss.csv"
  sleep 0.5
done
wait "$client" || true
completed=$(awk '{ for (i = 1; i < NF; i++) if ($i == "completed") { print $(i + 1); exit } }' "$report/client.txt")
elapsed=$(awk '/^sipbench-client:/ { print $2; exit }' "$report/client.txt")
stop_server_by_pid
trap - EXIT
echo "== linger memory: $completed of $calls calls completed at $rate/s over $elapsed s (64·T1 = 32 s: none expired)"
awk -F, -v w="$warmup" -v n="$completed" -v e="$elapsed" '
  $1 >= w && $1 <= e { k++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2
    if (k == 1) { t1 = $1; r1 = $2 } t2 = $1; r2 = $2 }
  END {
    if (k < 3 || n == 0) { print "too few samples"; exit 1 }
    slope = (k * sxy - sx * sy) / (k * sxx - sx * sx)
    txns = 2 * n / e
    printf "RSS %.1f MiB at %.1f s -> %.1f MiB at %.1f s (%d samples)\n", r1 / 1048576, t1, r2 / 1048576, t2, k
    printf "RSS growth %.0f KiB/s; transactions created %.0f/s\n", slope / 1024, txns
    printf "bytes per lingering transaction: %.0f (least-squares slope), %.0f (end points)\n", slope / txns, (r2 - r1) / (txns * (t2 - t1))
  }' "$report/rss.csv" | tee "$report/figure.txt"
