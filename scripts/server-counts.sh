#!/usr/bin/env bash
# Counts per call on the callee under a fixed load: CPU and context
# switches (its threads' own counters in /proc), system calls in all and
# by kind (perf stat tracepoints: recvmmsg, sendmmsg, epoll_wait, eventfd
# writes and reads, futex...).
# Counts, unlike rates, hold on a busy box: compare commits with them.
#
#   scripts/server-counts.sh [--callee server|null] [--caller client|client1|sipp]
#       [--rate CPS] [--calls N] [--shards N] [--port P] [--report DIR]
#       [--layout own|spread|shared] [--cpu-only] [-- SERVER_FLAGS...]
# Defaults: --callee server --caller client --rate 10000 --calls 50000
# --shards 1 --port 5330 --layout own. Layouts (two usable CPUs or more;
# the callee's shards move freely within its set, --no-pin): own runs the
# caller alone on the last CPU and the callee on a set of one CPU per
# shard from the rest, so a caller never shares a CPU with a shard (on
# two CPUs the callee has the first whatever its shard count); spread
# takes the callee's set from all CPUs and puts the caller on the last
# (beside a shard when there are at least as many shards as CPUs);
# shared pins nothing. --cpu-only leaves perf out: an attached perf stat
# costs the callee's threads something at every system call (the
# tracepoints) and every context switch, so with it the CPU figures
# (both the threads' and perf's task-clock) are inflated by the counts
# they are compared on. client1 is sipbench-client from one
# source address (one shard, its socket connected, --no-udp-segments so
# the server's kernel steering sees every datagram). The SIPp caller uses
# sipp/uac_call.xml over one socket (-t u1), as a proxy would: with
# --shards 2 the kernel steers each datagram to its call's shard (with
# --no-kernel-steering half of them are handed off instead). Flags
# after `--` go to the callee (e.g. `-- --busy-poll-us 50`).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

callee=server caller=client rate=10000 calls=50000 shards=1 port=5330 report="" layout=own cpu_only=0 extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --callee) callee=$2; shift ;;
    --caller) caller=$2; shift ;;
    --rate) rate=$2; shift ;;
    --calls) calls=$2; shift ;;
    --shards) shards=$2; shift ;;
    --port) port=$2; shift ;;
    --report) report=$2; shift ;;
    --layout) layout=$2; shift ;;
    --cpu-only) cpu_only=1 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$caller" in client|client1|sipp) ;; *) echo "--caller client|client1|sipp" >&2; exit 2 ;; esac
case "$layout" in own|spread|shared) ;; *) echo "--layout own|spread|shared" >&2; exit 2 ;; esac
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
[ "$cpu_only" = 1 ] || command -v perf >/dev/null 2>&1 || { as_root apt-get update -q && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q linux-perf; }
[ "$caller" = sipp ] && require_sipp
cargo build --release --bin sipbench-server --bin sipbench-client --bin null-uas
[ -n "$report" ] || report="reports/server-counts-$(date +%Y%m%d-%H%M%S)-$callee-$caller-$shards"
mkdir -p "$report"
callee_cpu=() caller_cpu=()
usable_cpus
n=${#cpus[@]}
if [ "$n" -ge 2 ] && [ "$layout" != shared ]; then
  room=$n
  [ "$layout" = own ] && room=$(( n - 1 ))
  set=$(IFS=,; echo "${cpus[*]:0:$(( shards < room ? shards : room ))}")
  callee_cpu=(taskset -c "$set") caller_cpu=(taskset -c "${cpus[n - 1]}")
fi

case "$callee" in
  server) bin=target/release/sipbench-server; flags=(--report "$report" --quiet) ;;
  null) bin=target/release/null-uas; flags=() ;;
  *) echo "--callee server|null" >&2; exit 2 ;;
esac
"${callee_cpu[@]}" "$bin" --listen "127.0.0.1:$port" --shards "$shards" --no-pin "${flags[@]}" "${extra[@]}" \
  >"$report/server.txt" 2>"$report/server.log" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true' EXIT
wait_listening

kinds=(recvmmsg sendmmsg epoll_wait epoll_pwait write read futex sendto recvfrom mmap munmap madvise brk mprotect clock_nanosleep)
events=task-clock,context-switches,raw_syscalls:sys_enter
for k in "${kinds[@]}"; do events+=",syscalls:sys_enter_$k"; done
if [ "$cpu_only" = 0 ]; then
  perf stat -x, -p "$server" -e "$events" -o "$report/perf-stat.csv" &
  stat=$!
  sleep 0.2
fi
thread_times "$server" >"$report/threads-before.txt"
budget=$(( calls / rate + 60 ))
if [ "$caller" = client ] || [ "$caller" = client1 ]; then
  one_source=()
  [ "$caller" = client1 ] && one_source=(--shards 1 --connect --no-udp-segments)
  timeout -s KILL "$budget" "${caller_cpu[@]}" target/release/sipbench-client "127.0.0.1:$port" --rate "$rate" \
    --calls "$calls" "${one_source[@]}" --no-pin --quiet >"$report/client.txt" 2>"$report/client.log" || true
  completed=$(awk '{ for (i = 1; i < NF; i++) if ($i == "completed") { print $(i + 1); exit } }' "$report/client.txt")
else
  cp sipp/uac_call.xml "$report/"
  (cd "$report" && timeout -k 5 "$budget" "${caller_cpu[@]}" sipp -sf uac_call.xml "127.0.0.1:$port" -t u1 \
    -i 127.0.0.1 -p $(( port + 1 )) -mp $(( port + 2 )) -cp $(( port + 6 )) -r "$rate" -m "$calls" \
    -l $(( rate * 2 )) -nostdin -timeout "$(( budget - 5 ))s" -timeout_error -trace_stat -stf stat.csv -fd 1 \
    >sipp.txt 2>sipp.err) || true
  completed=$(sipp_stat 'SuccessfulCall(C)')
fi
thread_times "$server" >"$report/threads-after.txt"
if [ "$cpu_only" = 0 ]; then
  kill -INT "$stat"
  wait "$stat" || true
fi
stop_server_by_pid
trap - EXIT

echo "== $callee under $caller: $calls calls at $rate/s, $shards shard(s); $completed completed; callee on CPUs ${callee_cpu[2]:-any}, caller on ${caller_cpu[2]:-any}"
{
  read -r ns switches < <(thread_delta "$report/threads-before.txt" "$report/threads-after.txt")
  # No completed call (none, or SIPp's count unreadable): no figures.
  awk -v n="${completed:-0}" -v ns="$ns" -v sw="$switches" 'BEGIN {
    if (n + 0 <= 0) { print "no completed call: no figures per call"; exit }
    printf "%-34s %10.2f\n", "CPU µs per call (threads)", ns / 1e3 / n
    printf "%-34s %10.3f\n", "context switches per call", sw / n }'
  [ "$cpu_only" = 1 ] || awk -F, -v n="${completed:-0}" '
    n + 0 <= 0 || /^#/ || NF < 3 { next }
    { v = $1; e = $3; if (v ~ /not/) next
      if (e == "task-clock") printf "%-34s %10.2f\n", "CPU µs per call (perf task-clock)", v * 1e3 / n
      else if (e == "raw_syscalls:sys_enter") printf "%-34s %10.3f\n", "system calls per call", v / n
      else if (e != "context-switches") { sub(/^syscalls:sys_enter_/, "", e); if (v > 0) printf "  %-32s %10.3f\n", e " per call", v / n } }
  ' "$report/perf-stat.csv"
} | tee "$report/counts.txt"
