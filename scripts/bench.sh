#!/usr/bin/env bash
# The main job (README): build release and measure. Until the UDP server
# lands this runs the in-process criterion suite: message parsing (against
# rsip in the same run), a whole UAS call through ShardCore and the timer
# wheel. Pass --quick for a short run.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown flag: $a" >&2; exit 2 ;;
  esac
done

args=()
if [ "$quick" = 1 ]; then args=(-- --warm-up-time 1 --measurement-time 2); fi

cargo build --release
for b in parse call timer; do
  echo "== cargo bench --bench $b"
  cargo bench --bench "$b" "${args[@]}" 2>&1 | grep -E '^[a-z_/0-9]+ +time:|time: +\[' || true
done
