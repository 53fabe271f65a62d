# Shared by the load scripts (sourced, not run): SIPp check, the server
# binary, waiting for it to listen, stopping it by PID, and reading the
# numbers SIPp and the server leave in the report directory. Callers set
# $server (the server's PID) and $report (the report directory).

require_sipp() {
  command -v sipp >/dev/null 2>&1 || { echo "sipp is missing: run scripts/test.sh (installs sip-tester)" >&2; exit 1; }
}

# Sets cpus to the CPUs this process may run on, in order: a cpuset or
# taskset may allow fewer than the machine has, not numbered from 0.
usable_cpus() {
  local list part parts
  list=$(taskset -pc $$ | sed 's/.*: *//')
  cpus=()
  IFS=, read -ra parts <<<"$list"
  for part in "${parts[@]}"; do
    if [[ $part == *-* ]]; then
      mapfile -t -O "${#cpus[@]}" cpus < <(seq "${part%-*}" "${part#*-}")
    else
      cpus+=("$part")
    fi
  done
}

# Builds the release server unless $server_bin already names a binary.
ensure_server_bin() {
  if [ -z "${server_bin:-}" ]; then
    cargo build --release --bin sipbench-server
    server_bin=target/release/sipbench-server
  fi
}

# Waits (10 s at most) for the server's "listening on" line.
wait_listening() {
  for _ in $(seq 100); do
    grep -q 'listening on' "$report/server.log" 2>/dev/null && return 0
    kill -0 "$server" 2>/dev/null || { cat "$report/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start" >&2
  exit 1
}

# SIGTERM to the server, 20 s to exit gracefully, then SIGKILL.
stop_server_by_pid() {
  kill -TERM "$server" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$server" 2>/dev/null; then
    echo "server ignored SIGTERM for 20 s; killing it" >&2
    kill -KILL "$server"
  fi
  wait "$server" || true
}

# The last value of SIPp's -trace_stat column $1, or "?".
sipp_stat() {
  awk -F';' -v k="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i; next }
    NF { v = $c } END { print (c && v != "") ? v : "?" }' "$report/stat.csv" 2>/dev/null || echo "?"
}

# The first number on the server summary's line that starts with $1.
server_line() { awk -v k="$1" 'index($0, k) == 1 { print $3; exit }' "$report/server.txt"; }

# One line per thread of process $1: TID, CPU time in ns and context
# switches (voluntary + involuntary), read from /proc with nothing
# attached to the threads. An attached perf stat costs each of them
# something at every context switch, so its CPU figure grows with the
# switch count it is meant to compare. Without schedstat (a kernel
# lacking CONFIG_SCHED_INFO) the time comes from stat's clock ticks.
thread_times() {
  local t ns rest tick
  tick=$(getconf CLK_TCK)
  for t in /proc/"$1"/task/*; do
    if ! read -r ns _ 2>/dev/null <"$t/schedstat"; then
      rest=$(cat "$t/stat" 2>/dev/null) || continue
      ns=$(awk -v r="${rest##*) }" -v tick="$tick" 'BEGIN { split(r, f, " "); printf "%.0f", (f[12] + f[13]) * 1e9 / tick }')
    fi
    awk -v tid="${t##*/}" -v ns="$ns" '/^(non)?voluntary_ctxt_switches/ { s += $2 }
      END { print tid, ns, s + 0 }' "$t/status" 2>/dev/null || true
  done
}

# CPU time in ns of process $1, all its threads; fails if it is gone.
cpu_ns() {
  [ -d "/proc/$1/task" ] || return 1
  thread_times "$1" | awk '{ s += $2 } END { printf "%.0f", s }'
}

# The same with its child processes (Kamailio's workers are processes);
# a child that ends meanwhile counts 0.
tree_cpu_ns() {
  local total p
  total=$(cpu_ns "$1") || return 1
  for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do total=$(( total + $(cpu_ns "$p" || echo 0) )); done
  echo "$total"
}

# Totals between two thread_times snapshots ($1 before, $2 after): CPU
# ns and context switches. A thread born in between counts from zero; one
# that ended in between is missing from both totals.
thread_delta() {
  awk 'FILENAME == ARGV[1] { ns[$1] = $2; sw[$1] = $3; next }
    { t += $2 - ns[$1]; s += $3 - sw[$1] } END { printf "%.0f %d\n", t, s }' "$1" "$2"
}
