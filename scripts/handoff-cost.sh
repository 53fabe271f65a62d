#!/usr/bin/env bash
# Hand-off cost with one source address (a proxy or SBC in front): SIPp
# sends every datagram from one socket (-t u1), so with two shards the
# kernel's SO_REUSEPORT 4-tuple hash would put them all on one shard,
# which would hand the other shard's calls over; the server steers them
# by Call-ID in the kernel instead (eBPF), and --no-kernel-steering turns
# that off. Server CPU per call (its threads' run time, nothing attached)
# with --shards 1, --shards 2 and --shards 2 --no-kernel-steering,
# alternating --rounds times in one run; prints each run's figures
# (scripts/server-counts.sh --cpu-only) and the ratios of the medians.
# Budget: 2 shards <= 1.2x one shard. Layouts as in server-counts.sh:
# own (the default) runs SIPp alone on the last CPU and the server on a
# set of one CPU per shard from the rest (on two CPUs both shards share
# the first, since a shard beside SIPp would pay for SIPp's cache traffic
# and wake-ups, which a proxy on another box does not cause); spread
# takes the server's set from all CPUs, the caller beside the last shard
# when CPUs run short (on two CPUs only in the 2-shard variants); shared
# pins nothing.
#
# --caller client1 drives it with sipbench-client from one source address
# instead (one shard, connected, --no-udp-segments so that the server's
# steering sees every datagram), which paces calls evenly where SIPp
# sends bursts.
#
#   scripts/handoff-cost.sh [--rate CPS] [--calls N] [--rounds N]
#       [--layout own|spread|shared] [--caller sipp|client1]
# Defaults: --rate 2000 --calls 10000 --rounds 4 --layout own --caller sipp.
# A run that gives no figure (no call completed) counts as "nan" and is
# left out of the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=2000 calls=10000 rounds=4 layout=own caller=sipp
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift ;;
    --calls) calls=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --layout) layout=$2; shift ;;
    --caller) caller=$2; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$caller" in sipp|client1) ;; *) echo "--caller sipp|client1" >&2; exit 2 ;; esac
case "$layout" in own|spread|shared) ;; *) echo "--layout own|spread|shared" >&2; exit 2 ;; esac
root="reports/handoff-cost-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$root"
# Variants: one shard; two shards with the kernel steering datagrams to
# their call's shard (the default); two shards handing off instead.
variant_flags() {
  case "$1" in
    shards1|shards2) echo "" ;;
    handoff2) echo "--no-kernel-steering" ;;
  esac
}
# Every other round runs the variants in reverse, so that a box growing
# slower or faster through a round favours none of them.
for r in $(seq "$rounds"); do
  order="shards1 shards2 handoff2"
  [ $(( r % 2 )) = 1 ] || order="handoff2 shards2 shards1"
  for v in $order; do
    s=${v: -1}
    # shellcheck disable=SC2046
    scripts/server-counts.sh --caller "$caller" --rate "$rate" --calls "$calls" --shards "$s" \
      --layout "$layout" --cpu-only --report "$root/$v-round$r" -- $(variant_flags "$v") 2>&1 | grep -v '^ *Finished\|^ *Compiling' | tee "$root/$v-round$r.txt" || true
    awk '/^CPU µs per call \(threads\)/ { v = $NF } END { print (v == "") ? "nan" : v }' "$root/$v-round$r.txt" >>"$root/cpu-$v"
  done
done
median() {
  { grep -E '^[0-9.]+$' "$1" || true; } | sort -g | awk '{ v[NR] = $1 }
    END { print (NR == 0) ? "nan" : (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
one=$(median "$root/cpu-shards1") two=$(median "$root/cpu-shards2") handoff=$(median "$root/cpu-handoff2")
echo "== one source address ($caller), $rate calls/s, --layout $layout: server CPU per call, median of $rounds"
echo "1 shard:                   $one µs ($(paste -sd' ' "$root/cpu-shards1"))"
echo "2 shards, kernel steering: $two µs ($(paste -sd' ' "$root/cpu-shards2"))"
echo "2 shards, hand-off:        $handoff µs ($(paste -sd' ' "$root/cpu-handoff2"))"
# Round by round too: each round's variants ran minutes apart at most,
# so the median of the rounds' own ratios is less moved by a box whose
# speed drifts between rounds than the ratio of the medians.
ratios() { paste "$1" "$2" | awk '{ print ($1 + 0 > 0 && $2 + 0 > 0) ? $2 / $1 : "nan" }'; }
ratios "$root/cpu-shards1" "$root/cpu-shards2" >"$root/paired-shards2"
ratios "$root/cpu-shards1" "$root/cpu-handoff2" >"$root/paired-handoff2"
ratio_line() {
  awk -v l="$1" -v a="$2" -v b="$3" -v p="$(median "$4")" -v s="$5" 'BEGIN {
    r = (a + 0 > 0 && b + 0 > 0) ? sprintf("%.2fx", b / a) : "n/a"
    q = (p + 0 > 0) ? sprintf("%.2fx", p) : "n/a"
    printf "%s / 1 shard: %s; median of the rounds\047 ratios %s%s\n", l, r, q, s }'
}
{
  ratio_line "2 shards (steered)" "$one" "$two" "$root/paired-shards2" " (budget <= 1.2x)"
  ratio_line "2 shards (hand-off)" "$one" "$handoff" "$root/paired-handoff2" ""
} | tee "$root/ratio.txt"
