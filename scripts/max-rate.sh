#!/usr/bin/env bash
# The highest call rate with no failed call, on this machine, in one run,
# for these caller → callee pairs (--pairs picks some, comma-separated):
#   null      sipbench-client → null-uas (perf/null-uas: the server's
#             sockets and batching, canned answers: the I/O model's limit)
#   server    sipbench-client → sipbench-server
#   sipp-uas  sipbench-client → SIPp's own UAS (sipp -sn uas)
#   kamailio  sipbench-client → Kamailio as a UAS (perf/peers/
#             kamailio-uas.cfg; the Debian package is installed when missing)
#   sipp      SIPp (sipp/uac_call.xml, -t u1) → sipbench-server
#   tcp       sipbench-client over TCP (a connection per shard) → sipbench-server
# A rate passes when every call of a --seconds long run succeeds on both
# sides and the caller kept the pace (the whole run within 1.05 times the
# nominal time plus 0.3 s). Rates double from --start until one fails (or
# --max passes), then --steps bisections between the last pass and the
# first failure. With two usable CPUs or more the callee runs on the first
# and the caller on the second (taskset), one shard each by default (--shards); with
# one shard over UDP the client's socket is connected to the callee
# (--connect: the kernel keeps the route instead of a lookup per datagram).
# Each run measures both sides' CPU (callee: all threads' and processes'
# schedstat run time; client: getrusage through /usr/bin/time) per
# completed call and as a share of its core over the run. The bottleneck
# named is the callee when it refused calls (503: it shed load) at the
# first failing rate, else the side that would need more of its core
# there (CPU per call at the highest clean rate times that rate). The
# client must not be it when a callee is measured: the table says so.
#
#   scripts/max-rate.sh [--pairs LIST] [--start CPS] [--max CPS]
#                       [--seconds S] [--steps N] [--shards N] [--port P]
#                       [--report DIR]
# Defaults: --pairs null,server,sipp-uas,kamailio,sipp,tcp --start 1000
# --max 128000 --seconds 3 --steps 3 --shards 1 --port 5270, report in
# reports/max-rate-<date>. Prints the table; exits 0 unless a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

pairs=null,server,sipp-uas,kamailio,sipp,tcp
start=1000 max=128000 seconds=3 steps=3 shards=1 port=5270 report=""
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs) pairs=$2; shift ;;
    --start) start=$2; shift ;;
    --max) max=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --steps) steps=$2; shift ;;
    --shards) shards=$2; shift ;;
    --port) port=$2; shift ;;
    --report) report=$2; shift ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
want() { case ",$pairs," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
install_pkg() { as_root apt-get update -q && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "$@"; }
require_sipp
[ -x /usr/bin/time ] || install_pkg time
if want kamailio && ! command -v kamailio >/dev/null 2>&1 && ! [ -x /usr/sbin/kamailio ]; then
  install_pkg kamailio
fi
kamailio_bin=$(command -v kamailio || echo /usr/sbin/kamailio)
cargo build --release --bin sipbench-server --bin sipbench-client --bin null-uas
server_bin=target/release/sipbench-server
client_bin=target/release/sipbench-client
null_bin=target/release/null-uas
[ -n "$report" ] || report="reports/max-rate-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$report"
root=$report
# One core each side when there are two.
callee_cpu=() caller_cpu=()
usable_cpus
if [ "${#cpus[@]}" -ge 2 ]; then callee_cpu=(taskset -c "${cpus[0]}") caller_cpu=(taskset -c "${cpus[1]}"); fi


# Whether $1 seconds is within the pace allowed for $2 calls at $3/s.
# Records the achieved rate of pair $4 at rate $3 in the report directory.
kept_pace() {
  awk -v e="$1" -v n="$2" 'BEGIN { printf "%.0f", n / e }' >"$root/achieved-$4-$3"
  awk -v e="$1" -v n="$2" -v r="$3" 'BEGIN { exit !(e <= 1.05 * n / r + 0.3) }'
}
achieved() { cat "$root/achieved-$1-$2" 2>/dev/null || echo "?"; }

# A number after the word $1 on the client's summary line.
client_count() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' "$2"; }

# Records pair $1 at rate $2: callee CPU ns $3, client rusage file $4,
# client output $5 (elapsed and completed calls). One line: callee µs per
# call, client µs per call, callee core share, client core share.
record_cpu() {
  local elapsed completed client_s
  elapsed=$(awk '/^sipbench-client:/ { print $2; exit }' "$5")
  completed=$(client_count completed "$5")
  # The last line: /usr/bin/time puts "Command exited with non-zero
  # status" before it when the client fails.
  client_s=$(awk 'END { print $1 + $2 }' "$4" 2>/dev/null || echo 0)
  awk -v c="$3" -v k="${client_s:-0}" -v e="${elapsed:-0}" -v n="${completed:-0}" 'BEGIN {
    if (n > 0 && e > 0) printf "%.1f %.1f %.2f %.2f\n", c / 1e3 / n, k * 1e6 / n, c / 1e9 / e, k / e
    else print "? ? ? ?" }' >"$root/cpu-$1-$2"
  client_count rejected "$5" >"$root/refused-$1-$2"
}
cpu_of() { cat "$root/cpu-$1-$2" 2>/dev/null || echo "? ? ? ?"; }

# The client's run against 127.0.0.1:$port: exit status in $rc.
run_client() {
  local dir=$1 rate=$2 calls=$3 transport=${4:-udp} connect=()
  # One UDP shard: the client's socket is connected to the callee.
  if [ "$transport" = udp ] && [ "$shards" = 1 ]; then connect=(--connect); fi
  rc=0
  timeout -s KILL $(( seconds * 3 + 60 )) "${caller_cpu[@]}" /usr/bin/time -f '%U %S' -o "$dir/client.rusage" \
    "$client_bin" "127.0.0.1:$port" --rate "$rate" --transport "$transport" --calls "$calls" \
    --shards "$shards" "${connect[@]}" --no-pin --quiet >"$dir/client.txt" 2>"$dir/client.log" || rc=$?
}

# The client's run: exit 0, every call completed, pace kept.
client_ok() {
  local rc=$1 out=$2 calls=$3 rate=$4 pair=$5 elapsed completed
  elapsed=$(awk '/^sipbench-client:/ { print $2; exit }' "$out")
  completed=$(client_count completed "$out")
  [ "$rc" = 0 ] && [ "${completed:-0}" = "$calls" ] && kept_pace "${elapsed:-999}" "$calls" "$rate" "$pair"
}

# (sipp): scripts/sipp-load.sh runs the server and SIPp and checks both sides.
try_sipp() {
  local rate=$1 calls=$(( $1 * seconds )) dir="$root/sipp-server-$1"
  scripts/sipp-load.sh --rate "$rate" --calls "$calls" --shards "$shards" --port "$port" \
    --server "$server_bin" --report "$dir" >"$root/sipp-server-$rate.txt" 2>&1 || return 1
  local elapsed
  elapsed=$(sed -n 's/^== outcome (SIPp exit [0-9]*, \([0-9.]*\) s)$/\1/p' "$root/sipp-server-$rate.txt")
  kept_pace "${elapsed:-999}" "$calls" "$rate" sipp
}

# (server), or (tcp) with "tcp" as $2.
try_server() {
  local rate=$1 transport=${2:-udp} calls=$(( $1 * seconds ))
  local pair=server && [ "$transport" = tcp ] && pair=tcp
  local dir="$root/$pair-$1"
  report=$dir
  mkdir -p "$report"
  "${callee_cpu[@]}" "$server_bin" --listen "127.0.0.1:$port" --listen "tcp:127.0.0.1:$port" --shards "$shards" \
    --no-pin --report "$report" --quiet >"$report/server.txt" 2>"$report/server.log" &
  server=$!
  wait_listening
  local cpu0 cpu1
  cpu0=$(tree_cpu_ns "$server")
  run_client "$dir" "$rate" "$calls" "$transport"
  cpu1=$(tree_cpu_ns "$server")
  stop_server_by_pid
  record_cpu "$pair" "$rate" $(( cpu1 - cpu0 )) "$dir/client.rusage" "$dir/client.txt"
  local srv_failed
  srv_failed=$(server_line 'calls failed')
  client_ok "$rc" "$dir/client.txt" "$calls" "$rate" "$pair" && [ "${srv_failed:-1}" = 0 ]
}
try_tcp() { try_server "$1" tcp; }

# A callee that is not ours: started by "$@" in $dir, stopped by PID.
try_foreign() {
  local pair=$1 rate=$2 dir=$3 calls=$4
  shift 4
  (cd "$dir" && exec "${callee_cpu[@]}" "$@" >callee.txt 2>callee.err) &
  local pid=$! cpu0 cpu1
  for _ in $(seq 50); do
    [ -n "$(ss -H -uln "sport = :$port" 2>/dev/null)" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  sleep 0.2
  kill -0 "$pid" 2>/dev/null || { echo "$pair did not start: $(tail -2 "$dir/callee.err")" >&2; return 1; }
  cpu0=$(tree_cpu_ns "$pid")
  run_client "$dir" "$rate" "$calls"
  cpu1=$(tree_cpu_ns "$pid")
  record_cpu "$pair" "$rate" $(( cpu1 - cpu0 )) "$dir/client.rusage" "$dir/client.txt"
  # SIPp exits after its -m calls; a client that gave up leaves it waiting.
  if [ "$pair" = sipp-uas ]; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  client_ok "$rc" "$dir/client.txt" "$calls" "$rate" "$pair"
}

try_null() {
  local rate=$1 calls=$(( $1 * seconds )) dir="$root/null-$1"
  mkdir -p "$dir"
  try_foreign null "$rate" "$dir" "$calls" "$PWD/$null_bin" --listen "127.0.0.1:$port" --shards "$shards" --no-pin
}

try_sipp-uas() {
  local rate=$1 calls=$(( $1 * seconds )) dir="$root/sipp-uas-$1"
  mkdir -p "$dir"
  try_foreign sipp-uas "$rate" "$dir" "$calls" sipp -sn uas -i 127.0.0.1 -p "$port" -mp $(( port + 2 )) \
    -cp $(( port + 6 )) -m "$calls" -nostdin -trace_stat -stf stat.csv -fd 1 \
    -timeout $(( seconds * 3 + 50 ))s -timeout_error || return 1
  local ok
  ok=$(report=$dir sipp_stat 'SuccessfulCall(C)')
  [ "$ok" = "$calls" ]
}

try_kamailio() {
  local rate=$1 calls=$(( $1 * seconds )) dir="$root/kamailio-$1"
  mkdir -p "$dir/run"
  dir=$(realpath "$dir")
  sed "s/^listen=udp:127.0.0.1:5070/listen=udp:127.0.0.1:$port/" perf/peers/kamailio-uas.cfg >"$dir/kamailio.cfg"
  try_foreign kamailio "$rate" "$dir" "$calls" "$kamailio_bin" -f "$dir/kamailio.cfg" -m 512 -M 32 -DD -E -Y "$dir/run"
}

# Doubling, then bisection: prints the highest passing rate (0: none) and
# records the lowest failing rate.
highest() {
  local pair=$1 rate=$start pass=0 fail=0
  while [ "$rate" -le "$max" ]; do
    if "try_$pair" "$rate"; then pass=$rate; echo "  $pair $rate/s: pass ($(cpu_of "$pair" "$rate"))" >&2; rate=$(( rate * 2 ))
    else fail=$rate; echo "  $pair $rate/s: fail ($(cpu_of "$pair" "$rate"))" >&2; break; fi
  done
  if [ "$fail" -gt 0 ] && [ "$pass" -gt 0 ]; then
    for _ in $(seq "$steps"); do
      local mid=$(( (pass + fail) / 2 ))
      [ "$mid" -le "$pass" ] && break
      if "try_$pair" "$mid"; then pass=$mid; echo "  $pair $mid/s: pass ($(cpu_of "$pair" "$mid"))" >&2
      else fail=$mid; echo "  $pair $mid/s: fail ($(cpu_of "$pair" "$mid"))" >&2; fi
    done
  fi
  echo "$fail" >"$root/first-fail-$pair"
  echo "$pass"
}

# Which side limits pair $1. A callee that refused calls at the first
# failing rate (503: it shed load) is the limit by its own word.
# Otherwise the core share each side needs at the first failing rate,
# from its CPU per call at the highest clean rate $2 (the failing run
# itself is no guide: once datagrams drop, retransmission waits stretch
# it and both sides idle). The side that needs more is the limit; over
# 90 % of a core it is full.
bottleneck() {
  local fail refused
  fail=$(cat "$root/first-fail-$1" 2>/dev/null || echo 0)
  [ "$fail" -gt 0 ] || { echo "none up to --max"; return; }
  refused=$(cat "$root/refused-$1-$fail" 2>/dev/null || echo 0)
  if [ "${refused:-0}" -gt 0 ]; then
    echo "callee at $fail/s (it refused $refused calls: overload)"
    return
  fi
  cpu_of "$1" "$2" | awk -v f="$fail" '{
    if ($1 == "?" || $2 == "?") { print "? at " f "/s"; exit }
    callee = $1 * f / 1e6; client = $2 * f / 1e6
    side = client >= callee ? "client" : "callee"
    full = (client >= callee ? client : callee) >= 0.9 ? ", full" : ""
    printf "%s%s at %s/s (needs: callee %.0f %%, client %.0f %% of a core)\n", side, full, f, callee * 100, client * 100 }'
}

echo "== max-rate: ${seconds} s runs, rates from $start/s doubling (to $max/s), $steps bisections," \
  "$shards shard(s) per side; $(nproc) cores${callee_cpu[*]:+, callee on CPU ${callee_cpu[2]}, caller on CPU ${caller_cpu[2]}}; pairs $pairs"
declare -A best
for p in ${pairs//,/ }; do
  declare -F "try_$p" >/dev/null || { echo "unknown pair: $p" >&2; exit 2; }
  best[$p]=$(highest "$p")
done
name() {
  case "$1" in
    null) echo "sipbench-client → null-uas" ;;
    server) echo "sipbench-client → sipbench-server" ;;
    sipp-uas) echo "sipbench-client → SIPp UAS (-sn uas)" ;;
    kamailio) echo "sipbench-client → Kamailio UAS" ;;
    sipp) echo "SIPp (uac_call.xml, -t u1) → sipbench-server" ;;
    tcp) echo "sipbench-client over TCP → sipbench-server" ;;
  esac
}
null_rate=${best[null]:-0}
{
  echo
  echo "| caller → callee | highest rate, 0 failed | achieved (calls / wall time) | / null-uas | callee CPU µs per call | client CPU µs per call | callee / client core share | bottleneck (first failing rate) |"
  echo "|---|---|---|---|---|---|---|---|"
  for p in ${pairs//,/ }; do
    b=${best[$p]}
    frac=$(awk -v b="$b" -v n="$null_rate" 'BEGIN { if (n > 0) printf "%.2f", b / n; else print "n/a" }')
    read -r cu ku cs ks <<<"$(cpu_of "$p" "$b")"
    echo "| $(name "$p") | $b calls/s | $(achieved "$p" "$b")/s | $frac | $cu | $ku | $cs / $ks | $(bottleneck "$p" "$b") |"
  done
  echo
  echo "CPU figures are at the highest clean rate (sipp pair: see its sipp-load.sh output)."
  if [ -n "${best[server]:-}" ] && [ -n "${best[null]:-}" ]; then
    awk -v b="${best[server]}" -v n="${best[null]}" 'BEGIN { if (n > 0) printf "sipbench-server / null-uas: %.2fx (goal >= 0.7)\n", b / n }'
  fi
} | tee "$root/table.md"
