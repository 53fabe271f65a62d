#!/usr/bin/env bash
# Calls/s through Kamailio's dispatcher with 1, 2 and 3 sipbench-server
# instances on this machine (README "Beyond one machine"), one command:
#
#   scripts/cluster.sh --figures [--report DIR]      (or this script)
#
# Each run: scripts/cluster.sh with the release server, SIPp offering more
# than the chain carries (--rate 4000 with at most --limit 200 calls up,
# servers hanging up 100 ms after the ACK), 12,000 calls. Prints calls/s
# completed for the caller and the CPU time of Kamailio and of the
# servers as a share of one core and of the machine. On a small machine
# Kamailio, SIPp and the servers share the cores: the figures say where
# the CPU went, not what one more core gives (README has the estimate).
set -euo pipefail
cd "$(dirname "$0")/.."
server_bin="" report="reports/cluster-figures-$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server_bin=$2; shift ;;
    --report) report=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$server_bin" ]; then
  cargo build --release --bin sipbench-server
  server_bin=target/release/sipbench-server
fi
mkdir -p "$report"
cores=$(nproc)
rows=() estimate=""
for n in 1 2 3; do
  scripts/cluster.sh --server "$server_bin" --instances "$n" --rate 4000 --limit 200 --hold-ms 100 \
    --calls 12000 --report "$report/instances-$n" >"$report/instances-$n.txt" 2>&1 || true
  # shellcheck disable=SC1090
  . "$report/instances-$n/result.env"
  rows+=("$(awk -v n="$n" -v ok="$ok" -v f="$fail" -v e="$elapsed" -v k="$kam_cpu_s" -v s="$srv_cpu_s" -v p="$caller_cpu_s" -v b="$box_busy" \
    'BEGIN { printf "%9d %9.0f %7d %10.0f%% %10.0f%% %10.0f%% %10.0f%%", n, ok / e, f, 100 * k / e, 100 * s / e, 100 * p / e, b }')")
  if [ "$n" = 1 ]; then
    # CPU per completed call from the one-instance run, and what one more
    # core gives each side if nothing else shares it (README: assumptions).
    estimate=$(awk -v ok="$ok" -v k="$kam_cpu_s" -v s="$srv_cpu_s" 'BEGIN {
      ku = 1e6 * k / ok; su = 1e6 * s / ok
      printf "per call (1 instance): Kamailio %.0f us CPU, sipbench-server %.0f us CPU\n", ku, su
      printf "paper estimate per added core: %.0f calls/s as one more server instance, %.0f calls/s as one more Kamailio core", 1e6 / su, 1e6 / ku }')
  fi
done
echo "== calls/s through Kamailio ($cores cores; SIPp -r 4000 -l 200, 100 ms calls, release server; report $report)"
printf '%9s %9s %7s %11s %11s %11s %11s\n' instances calls/s failed kamailio servers caller machine
echo "          (CPU as % of one core; machine: % busy of all $cores cores)"
printf '%s\n' "${rows[@]}"
echo "$estimate"
