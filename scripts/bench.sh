#!/usr/bin/env bash
# The main job: installs SIPp when missing, then runs scripts/sipp-load.sh
# with defaults that reach 1,000+ concurrent calls on a 2-core box: it
# builds release, starts sipbench-server with a report directory, drives
# it with SIPp (sipp/uac_call.xml), stops it by PID and prints SIPp's
# outcome beside the server's counters and latency table, the server's
# CPU per call and peak RSS, and the paths of the report files and plots
# (.hgrm distributions, SVGs). Exits non-zero if any call failed.
#
#   scripts/bench.sh [--rate CPS] [--calls N] [--hold-ms MS] [--shards N]
#                    [--transport u1|un|t1|tn] [--port P] [--quick]
#                    [--server PATH] [--report DIR]
# Defaults: 400 calls/s, 3 s calls (about 1,200 concurrent), 8,000 calls;
# shards: one core is left to SIPp (1 shard on a 2-core box).
set -euo pipefail
cd "$(dirname "$0")/.."

rate=400 calls=8000 hold=3000 args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift ;;
    --calls) calls=$2; shift ;;
    --hold-ms) hold=$2; shift ;;
    --shards | --transport | --port | --server | --report) args+=("$1" "$2"); shift ;;
    --quick) rate=200 calls=600 hold=1000 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1" >&2; exit 2 ;;
  esac
  shift
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v sipp >/dev/null 2>&1; then
  as_root apt-get update -q && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q sip-tester
fi
exec scripts/sipp-load.sh --rate "$rate" --calls "$calls" --duration-ms "$hold" "${args[@]}"
