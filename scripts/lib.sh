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
