#!/usr/bin/env bash
# CPU per call with and without digest authentication, as callgrind
# instruction counts of the core's work (examples/auth_probe.rs): a
# plain UAS call beside an authenticated one (INVITE → 401, ACK, INVITE
# with credentials → 200, ACK, BYE) with MD5 and with SHA-256, all from
# the same build. Per call, from two run lengths, so setup cancels out.
# Deterministic, so it runs on a busy machine; timed figures need a quiet
# one (the lead's A/B runs).
#
#   scripts/auth-cpu.sh [CALLS]      (default 2000; counts CALLS and 2×CALLS)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v valgrind >/dev/null 2>&1; then
  as_root apt-get update -q && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q valgrind
fi
cargo build --release --example auth_probe >/dev/null 2>&1
probe=target/release/examples/auth_probe
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
per_call() {
  local counts=() k
  for k in "$n" $(( 2 * n )); do
    valgrind --tool=callgrind --callgrind-out-file="$out/$1-$k" \
      --toggle-collect='auth_probe::probe_*' "$probe" "$1" "$k" >/dev/null 2>&1
    counts+=("$(grep -E '^(summary|totals):' "$out/$1-$k" | head -1 | awk '{print $2}')")
  done
  echo $(( (counts[1] - counts[0]) / n ))
}
plain=$(per_call plain)
echo "plain call:                 $plain instructions"
for alg in md5 sha-256; do
  a=$(per_call "$alg")
  awk -v a="$a" -v p="$plain" -v alg="$alg" \
    'BEGIN { printf "authenticated call (%-7s): %d instructions, %.2fx the plain call (+%d)\n", alg, a, a / p, a - p }'
done
