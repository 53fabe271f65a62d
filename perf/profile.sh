#!/usr/bin/env bash
# Profiles the in-process hot paths (a whole UAS call through ShardCore and
# the INVITE parse) with linux-perf, or with valgrind's callgrind where perf
# counters are not supported. Prints the top symbols; data lands in
# perf/out/. Usage: perf/profile.sh [call|parse]
set -euo pipefail
cd "$(dirname "$0")/.."
bench="${1:-call}"
filter=""
[ "$bench" = parse ] && filter='^parse/invite$'
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
command -v perf >/dev/null 2>&1 || { as_root apt-get update -q && as_root apt-get install -y -q linux-perf; }
mkdir -p perf/out
cargo bench --bench "$bench" --no-run >/dev/null 2>&1
bin=$(ls -t target/release/deps/"$bench"-* | grep -v '\.d$' | head -1)
if perf stat -e instructions true >/dev/null 2>&1 || perf record -o /dev/null true >/dev/null 2>&1; then
  perf record -g -o perf/out/"$bench".data "$bin" --bench $filter --profile-time 5 >/dev/null 2>&1
  perf report -i perf/out/"$bench".data --no-children --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -25
else
  command -v valgrind >/dev/null 2>&1 || { as_root apt-get update -q && as_root apt-get install -y -q valgrind; }
  valgrind --tool=callgrind --callgrind-out-file=perf/out/"$bench".callgrind "$bin" --bench $filter --profile-time 1 >/dev/null 2>&1
  callgrind_annotate perf/out/"$bench".callgrind | head -40
fi
