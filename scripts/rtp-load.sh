#!/usr/bin/env bash
# RTP relay benchmark (no SIP): builds examples/rtp_load.rs in release and
# runs it. It opens N echo streams on the media pool (one media thread by
# default), feeds each P packets/s of 172-byte G.711-sized RTP from
# loopback clients for S seconds, and prints the packets lost, the echo
# round trip (client send -> echo back, p50/p99/p99.9) and the media
# thread's CPU; then a blast phase sends as fast as the client can to find
# the most packets/s one media thread relays. Writes rtp_load.json and
# echo_latency.hgrm into the report directory. With --srtp [SUITE]
# (default AES_CM_128_HMAC_SHA1_80) the same run follows on SRTP streams
# (the client encrypts with each stream's inbound key and authenticates
# the echo with its outbound key) and the media thread's CPU per packet
# relayed is printed as a ratio to the plain run's (budget 1.5x). Exits
# non-zero if a paced phase lost a packet or SRTP dropped or failed one.
#
#   scripts/rtp-load.sh [--streams N] [--pps P] [--seconds S]
#                       [--blast-seconds S] [--threads M] [--ports A-B]
#                       [--srtp [SUITE]] [--report DIR]
# Defaults: 1000 streams x 50 packets/s (50k packets/s each way) for 30 s,
# 5 s blast, 1 media thread, ports 24000-27999, reports/rtp-load-<date>.
set -euo pipefail
cd "$(dirname "$0")/.."

args=() report="reports/rtp-load-$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --streams | --pps | --seconds | --blast-seconds | --threads | --ports) args+=("$1" "$2"); shift ;;
    --report) report=$2; shift ;;
    --srtp)
      suite=AES_CM_128_HMAC_SHA1_80
      case "${2:-}" in AES_*|AEAD_*) suite=$2; shift ;; esac
      args+=(--srtp "$suite") ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1" >&2; exit 2 ;;
  esac
  shift
done

cargo build --release --example rtp_load
target/release/examples/rtp_load "${args[@]}" --report "$report"
# Every paced phase (plain, and SRTP when asked) must be clean.
bad=$(grep -E '"(lost|srtp_drops|client_auth_failures)": [1-9]' "$report/rtp_load.json" || true)
if [ -n "$bad" ] || ! grep -q '"lost": 0' "$report/rtp_load.json"; then
  echo "rtp-load: a paced phase lost or dropped packets:" >&2
  echo "${bad:-no paced figures}" >&2
  exit 1
fi
