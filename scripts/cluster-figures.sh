#!/usr/bin/env bash
# Calls/s through Kamailio's dispatcher with 1, 2 and 3 sipbench-server
# instances on this machine (README "Beyond one machine"), one command:
#
#   scripts/cluster.sh --figures [--report DIR]      (or this script)
#
# Each run: scripts/cluster.sh with the release server, SIPp offering more
# than the chain carries (--rate 4000 with at most --limit 400 calls up,
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
rows=()
for n in 1 2 3; do
  scripts/cluster.sh --server "$server_bin" --instances "$n" --rate 4000 --limit 400 --hold-ms 100 \
    --calls 12000 --report "$report/instances-$n" >"$report/instances-$n.txt" 2>&1 || true
  # shellcheck disable=SC1090
  . "$report/instances-$n/result.env"
  rows+=("$(awk -v n="$n" -v ok="$ok" -v f="$fail" -v e="$elapsed" -v k="$kam_cpu_s" -v s="$srv_cpu_s" -v c="$cores" \
    'BEGIN { printf "%9d %9.0f %7d %10.0f%% %10.0f%% %10.0f%% %10.0f%%", n, ok / e, f, 100 * k / e, 100 * k / (e * c), 100 * s / e, 100 * s / (e * c) }')")
done
echo "== calls/s through Kamailio ($cores cores; SIPp -r 4000 -l 400, 100 ms calls, release server; report $report)"
printf '%9s %9s %7s %11s %11s %11s %11s\n' instances calls/s failed "kam/core" "kam/box" "srv/core" "srv/box"
printf '%s\n' "${rows[@]}"
