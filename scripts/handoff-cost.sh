#!/usr/bin/env bash
# Hand-off cost with one source address (a proxy or SBC in front): SIPp
# sends every datagram from one socket (-t u1), so with two shards the
# kernel's SO_REUSEPORT hash puts them all on one shard, which hands the
# other shard's calls over. Server CPU per call (perf stat task-clock) with
# --shards 2 against --shards 1, alternating --rounds times in one run;
# prints each run's figures (scripts/server-counts.sh) and the ratio of
# the medians. Budget: 2 shards <= 1.2x one shard.
#
#   scripts/handoff-cost.sh [--rate CPS] [--calls N] [--rounds N]
# Defaults: --rate 2000 --calls 10000 --rounds 3.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=2000 calls=10000 rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift ;;
    --calls) calls=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
root="reports/handoff-cost-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$root"
for r in $(seq "$rounds"); do
  for s in 1 2; do
    scripts/server-counts.sh --caller sipp --rate "$rate" --calls "$calls" --shards "$s" \
      --report "$root/shards$s-round$r" 2>&1 | grep -v '^ *Finished\|^ *Compiling' | tee "$root/shards$s-round$r.txt"
    awk '/task-clock/ { print $NF }' "$root/shards$s-round$r.txt" >>"$root/cpu-shards$s"
  done
done
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
one=$(median "$root/cpu-shards1") two=$(median "$root/cpu-shards2")
echo "== one source address, $rate calls/s: server CPU per call, median of $rounds"
echo "1 shard:  $one µs ($(paste -sd' ' "$root/cpu-shards1"))"
echo "2 shards: $two µs ($(paste -sd' ' "$root/cpu-shards2"))"
awk -v a="$one" -v b="$two" 'BEGIN { printf "2 shards / 1 shard: %.2fx (budget <= 1.2x)\n", b / a }' | tee "$root/ratio.txt"
