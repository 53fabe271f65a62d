#!/usr/bin/env bash
# The highest call rate with no failed call, on this machine, in one run,
# for four caller → callee pairs:
#   (a) SIPp (sipp/uac_call.xml, -t u1)  → sipbench-server
#   (b) sipbench-client                  → sipbench-server
#   (c) sipbench-client                  → SIPp's own UAS (sipp -sn uas)
#   (d) sipbench-client over TCP (one connection per shard) → sipbench-server
# A rate passes when every call of a --seconds long run succeeds on both
# sides and the caller kept the pace (the whole run within 1.05 times the
# nominal time plus 0.3 s: a caller that falls behind its rate fails it).
# The table gives each pair's highest passing rate and the rate achieved
# at it (calls / wall time of the whole run, the last calls' tail included).
# Rates double from --start until one fails (or --max passes), then
# --steps bisections between the last pass and the first failure. Server
# and client run --shards shards each (default 1: one core each, as
# single-threaded SIPp has). Prints the table; exits 0 unless a tool is
# missing.
#
#   scripts/max-rate.sh [--start CPS] [--max CPS] [--seconds S] [--steps N]
#                       [--shards N] [--port P] [--report DIR]
# Defaults: --start 1000 --max 128000 --seconds 3 --steps 3 --shards 1
# --port 5270, report in reports/max-rate-<date>.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

start=1000 max=128000 seconds=3 steps=3 shards=1 port=5270 report=""
while [ $# -gt 0 ]; do
  case "$1" in
    --start) start=$2; shift ;;
    --max) max=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --steps) steps=$2; shift ;;
    --shards) shards=$2; shift ;;
    --port) port=$2; shift ;;
    --report) report=$2; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
require_sipp
cargo build --release --bin sipbench-server --bin sipbench-client
server_bin=target/release/sipbench-server
client_bin=target/release/sipbench-client
[ -n "$report" ] || report="reports/max-rate-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$report"
root=$report

# Whether $1 seconds is within the pace allowed for $2 calls at $3/s.
# Records the achieved rate of pair $4 at rate $3 in the report directory.
kept_pace() {
  awk -v e="$1" -v n="$2" 'BEGIN { printf "%.0f", n / e }' >"$root/achieved-$4-$3"
  awk -v e="$1" -v n="$2" -v r="$3" 'BEGIN { exit !(e <= 1.05 * n / r + 0.3) }'
}
achieved() { cat "$root/achieved-$1-$2" 2>/dev/null || echo "?"; }

# A number after the word $1 on the client's summary line.
client_count() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' "$2"; }

# (a): scripts/sipp-load.sh runs the server and SIPp and checks both sides.
try_sipp_server() {
  local rate=$1 calls=$(( $1 * seconds )) dir="$root/sipp-server-$1"
  scripts/sipp-load.sh --rate "$rate" --calls "$calls" --shards "$shards" --port "$port" \
    --server "$server_bin" --report "$dir" >"$root/sipp-server-$rate.txt" 2>&1 || return 1
  local elapsed
  elapsed=$(sed -n 's/^== outcome (SIPp exit [0-9]*, \([0-9.]*\) s)$/\1/p' "$root/sipp-server-$rate.txt")
  kept_pace "${elapsed:-999}" "$calls" "$rate" sipp-server
}

start_server() {
  report=$1
  mkdir -p "$report"
  "$server_bin" --listen "127.0.0.1:$port" --listen "tcp:127.0.0.1:$port" --shards "$shards" --no-pin --report "$report" --quiet \
    >"$report/server.txt" 2>"$report/server.log" &
  server=$!
  wait_listening
}

# The client's run: exit 0, every call completed, pace kept.
client_ok() {
  local rc=$1 out=$2 calls=$3 rate=$4 pair=$5 elapsed completed
  elapsed=$(awk '/^sipbench-client:/ { print $2; exit }' "$out")
  completed=$(client_count completed "$out")
  [ "$rc" = 0 ] && [ "${completed:-0}" = "$calls" ] && kept_pace "${elapsed:-999}" "$calls" "$rate" "$pair"
}

# (b), or (d) with "tcp" as $2.
try_client_server() {
  local rate=$1 transport=${2:-udp} calls=$(( $1 * seconds )) rc=0
  local pair=client-server && [ "$transport" = tcp ] && pair=client-server-tcp
  local dir="$root/$pair-$1"
  start_server "$dir"
  timeout -s KILL $(( seconds * 3 + 60 )) "$client_bin" "127.0.0.1:$port" --rate "$rate" --transport "$transport" \
    --calls "$calls" --shards "$shards" --no-pin --quiet >"$dir/client.txt" 2>"$dir/client.log" || rc=$?
  stop_server_by_pid
  local srv_failed
  srv_failed=$(server_line 'calls failed')
  client_ok "$rc" "$dir/client.txt" "$calls" "$rate" "$pair" && [ "${srv_failed:-1}" = 0 ]
}
try_client_server_tcp() { try_client_server "$1" tcp; }

try_client_sipp() {
  local rate=$1 calls=$(( $1 * seconds )) dir="$root/client-sipp-$1" rc=0
  mkdir -p "$dir"
  (cd "$dir" && exec timeout -s KILL $(( seconds * 3 + 60 )) sipp -sn uas -i 127.0.0.1 -p "$port" \
    -mp $(( port + 2 )) -cp $(( port + 6 )) -m "$calls" -nostdin -trace_stat -stf stat.csv -fd 1 \
    -timeout $(( seconds * 3 + 50 ))s -timeout_error >sipp.txt 2>sipp.err) &
  local sipp_pid=$!
  sleep 0.5
  timeout -s KILL $(( seconds * 3 + 60 )) "$client_bin" "127.0.0.1:$port" --rate "$rate" \
    --calls "$calls" --shards "$shards" --no-pin --quiet >"$dir/client.txt" 2>"$dir/client.log" || rc=$?
  # SIPp exits after its -m calls; a client that gave up leaves it waiting.
  for _ in $(seq 50); do kill -0 "$sipp_pid" 2>/dev/null || break; sleep 0.1; done
  kill -TERM "$sipp_pid" 2>/dev/null || true
  wait "$sipp_pid" 2>/dev/null || true
  local ok
  ok=$(report=$dir sipp_stat 'SuccessfulCall(C)')
  client_ok "$rc" "$dir/client.txt" "$calls" "$rate" client-sipp && [ "$ok" = "$calls" ]
}

# Doubling, then bisection: prints the highest passing rate (0: none).
highest() {
  local try=$1 rate=$start pass=0 fail=0
  while [ "$rate" -le "$max" ]; do
    if "$try" "$rate"; then pass=$rate; echo "  $try $rate/s: pass" >&2; rate=$(( rate * 2 ))
    else fail=$rate; echo "  $try $rate/s: fail" >&2; break; fi
  done
  if [ "$fail" -gt 0 ] && [ "$pass" -gt 0 ]; then
    for _ in $(seq "$steps"); do
      local mid=$(( (pass + fail) / 2 ))
      [ "$mid" -le "$pass" ] && break
      if "$try" "$mid"; then pass=$mid; echo "  $try $mid/s: pass" >&2
      else fail=$mid; echo "  $try $mid/s: fail" >&2; fi
    done
  fi
  echo "$pass"
}

echo "== max-rate: ${seconds} s runs, rates from $start/s doubling (to $max/s), $steps bisections, $shards shard(s) per side; $(nproc) cores"
a=$(highest try_sipp_server)
b=$(highest try_client_server)
c=$(highest try_client_sipp)
d=$(highest try_client_server_tcp)
ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.1f", b / a; else print "n/a" }')
{
  echo
  echo "| caller → callee | highest rate with 0 failed calls | achieved at it (calls / wall time) |"
  echo "|---|---|---|"
  echo "| SIPp (uac_call.xml, -t u1) → sipbench-server | $a calls/s | $(achieved sipp-server "$a")/s |"
  echo "| sipbench-client → sipbench-server | $b calls/s | $(achieved client-server "$b")/s |"
  echo "| sipbench-client → SIPp UAS (-sn uas) | $c calls/s | $(achieved client-sipp "$c")/s |"
  echo "| sipbench-client over TCP (a connection per shard) → sipbench-server | $d calls/s | $(achieved client-server-tcp "$d")/s |"
  echo
  echo "sipbench-client / SIPp against the same server: ${ratio}x"
  awk -v b="$b" -v d="$d" 'BEGIN { if (b > 0) printf "sipbench-client over TCP / over UDP against the same server: %.2fx\n", d / b }'
} | tee "$root/table.md"
