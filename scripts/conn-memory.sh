#!/usr/bin/env bash
# Memory per idle connection: the release server's RSS grows by how much
# when N idle TCP connections, then N idle TLS connections (handshakes
# completed), are open on it. Builds release and the conn_hold and
# tls_cert examples, makes a throwaway PKI, starts the server on
# tcp:127.0.0.1:P and tls:127.0.0.1:P+1, reads VmRSS before, with the
# connections held, and after they close, stops the server by PID.
#
#   scripts/conn-memory.sh [--connections N] [--shards N] [--port P]
# Defaults: 5000 connections, 1 shard, port 5370.
set -euo pipefail
cd "$(dirname "$0")/.."

n=5000 shards=1 port=5370
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) n=$2; shift ;;
    --shards) shards=$2; shift ;;
    --port) port=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
ulimit -n $(( n + 1000 )) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cargo build --release --bin sipbench-server --example conn_hold --example tls_cert
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
target/release/examples/tls_cert "$dir/pki" >/dev/null
target/release/sipbench-server --listen "tcp:127.0.0.1:$port" --listen "tls:127.0.0.1:$(( port + 1 ))" \
  --tls-cert "$dir/pki/server.pem" --tls-key "$dir/pki/server.key" --shards "$shards" --quiet \
  --max-connections $(( n * 2 )) --max-connections-per-source $(( n * 2 )) >"$dir/server.txt" 2>"$dir/server.log" &
server=$!
stop() { kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap 'stop; rm -rf "$dir"' EXIT
for _ in $(seq 100); do grep -q 'listening on tls' "$dir/server.log" && break; sleep 0.1; done
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$server/status"; }

echo "== memory per idle connection: $n connections each, $shards shard(s), release build"
for t in tcp tls; do
  p=$port; [ "$t" = tls ] && p=$(( port + 1 ))
  sleep 1
  before=$(rss)
  target/release/examples/conn_hold "$t" "127.0.0.1:$p" "$n" 4 "$dir/pki/ca.pem" >"$dir/hold-$t.txt" &
  hold=$!
  for _ in $(seq 600); do grep -q holding "$dir/hold-$t.txt" 2>/dev/null && break; sleep 0.1; done
  sleep 1
  with=$(rss)
  wait "$hold"
  sleep 1
  after=$(rss)
  awk -v t="$t" -v b="$before" -v w="$with" -v a="$after" -v n="$n" 'BEGIN {
    printf "%-4s RSS %d kB -> %d kB with %d idle connections -> %d kB after: %.2f KiB per connection\n", t, b, w, n, a, (w - b) / n }'
done
