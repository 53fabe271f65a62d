#!/usr/bin/env bash
# Server CPU per call by transport, each beside UDP in the same run, and
# the TLS handshake capacity of one shard. Release build, 1 shard.
#
#  1. SIPp (uac_call.xml) at --rate for --calls: -t u1 and -t t1 in turn,
#     --rounds times each (scripts/sipp-load.sh), median CPU per call.
#  2. sipbench-client at --rate for --calls over UDP and over TLS with one
#     long-lived connection (SIPp has no TLS here), --rounds times each.
#  3. New TLS connections: conn_hold opens --handshakes connections, each
#     completing its handshake; the server's CPU time for them gives the
#     handshakes one shard accepts per second of its core.
# CPU is every server thread's schedstat run time while the load ran.
#
#   scripts/transport-cpu.sh [--rate CPS] [--calls N] [--rounds N]
#                            [--handshakes N] [--port P]
# Defaults: 1000 calls/s, 10000 calls, 3 rounds, 2000 handshakes, port 5470.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

rate=1000 calls=10000 rounds=3 handshakes=2000 port=5470
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift ;;
    --calls) calls=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --handshakes) handshakes=$2; shift ;;
    --port) port=$2; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
require_sipp
cargo build --release --bin sipbench-server --bin sipbench-client --example conn_hold --example tls_cert
server_bin=target/release/sipbench-server
client_bin=target/release/sipbench-client
root="reports/transport-cpu-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$root"
target/release/examples/tls_cert "$root/pki" >/dev/null
ulimit -n $(( handshakes + 1000 )) 2>/dev/null || true

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== server CPU per call by transport, $rounds round(s) each, 1 shard; $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
# 1. SIPp over UDP and TCP, alternating.
for r in $(seq "$rounds"); do
  for t in u1 t1; do
    out="$root/sipp-$t-$r.txt"
    scripts/sipp-load.sh --transport "$t" --rate "$rate" --calls "$calls" --shards 1 --port "$port" \
      --server "$server_bin" --report "$root/sipp-$t-$r" >"$out" 2>&1 || { echo "sipp $t round $r failed: $out" >&2; exit 1; }
    us=$(sed -n 's/^server CPU per call *\([0-9.]*\) us$/\1/p' "$out")
    echo "$us" >>"$root/sipp-$t.us"
    echo "  SIPp -t $t round $r: $us us per call"
  done
done

# 2. sipbench-client over UDP and TLS (one connection per client shard).
client_round() {
  local t=$1 r=$2 dir="$root/client-$1-$2" listen=("--listen" "127.0.0.1:$port") args=()
  mkdir -p "$dir"
  if [ "$t" = tls ]; then
    listen=("--listen" "tls:127.0.0.1:$port" "--tls-cert" "$root/pki/server.pem" "--tls-key" "$root/pki/server.key")
    args=("--transport" "tls" "--tls-ca" "$root/pki/ca.pem")
  fi
  "$server_bin" "${listen[@]}" --shards 1 --quiet --report "$dir" >"$dir/server.txt" 2>"$dir/server.log" &
  server=$!
  report=$dir wait_listening
  local c0 c1
  c0=$(cpu_ns "$server")
  timeout -s KILL $(( calls / rate + 60 )) "$client_bin" "127.0.0.1:$port" --rate "$rate" --calls "$calls" \
    --shards 1 --quiet "${args[@]}" >"$dir/client.txt" 2>"$dir/client.log" || { echo "client $t failed: $dir" >&2; }
  c1=$(cpu_ns "$server")
  report=$dir stop_server_by_pid
  local done
  done=$(report=$dir server_line 'calls completed')
  awk -v a="$c0" -v b="$c1" -v n="${done:-0}" 'BEGIN { if (n > 0) printf "%.1f\n", (b - a) / 1000 / n; else print "n/a" }'
}
for r in $(seq "$rounds"); do
  for t in udp tls; do
    us=$(client_round "$t" "$r")
    echo "$us" >>"$root/client-$t.us"
    echo "  sipbench-client over $t round $r: $us us per call"
  done
done

# 3. TLS handshakes accepted by one shard.
dir="$root/handshakes" && mkdir -p "$dir"
"$server_bin" --listen "tls:127.0.0.1:$port" --tls-cert "$root/pki/server.pem" --tls-key "$root/pki/server.key" \
  --shards 1 --quiet --max-connections $(( handshakes * 2 )) --max-connections-per-source $(( handshakes * 2 )) \
  >"$dir/server.txt" 2>"$dir/server.log" &
server=$!
report=$dir wait_listening
c0=$(cpu_ns "$server") t0=$(date +%s.%N)
target/release/examples/conn_hold tls "127.0.0.1:$port" "$handshakes" 0 "$root/pki/ca.pem" >"$dir/hold.txt"
c1=$(cpu_ns "$server") t1=$(date +%s.%N)
report=$dir stop_server_by_pid

u1=$(median <"$root/sipp-u1.us") t1m=$(median <"$root/sipp-t1.us")
udp=$(median <"$root/client-udp.us") tls=$(median <"$root/client-tls.us")
{
  echo
  echo "| load | UDP | stream | ratio |"
  echo "|---|---|---|---|"
  awk -v a="$u1" -v b="$t1m" 'BEGIN { printf "| SIPp uac_call.xml, -t u1 vs -t t1 | %s us | %s us | %.2fx |\n", a, b, b / a }'
  awk -v a="$udp" -v b="$tls" 'BEGIN { printf "| sipbench-client, UDP vs TLS (long-lived) | %s us | %s us | %.2fx |\n", a, b, b / a }'
  awk -v c="$(( c1 - c0 ))" -v n="$handshakes" -v a="$t0" -v b="$t1" 'BEGIN {
    printf "\nTLS handshakes: %d in %.2f s wall; server CPU %.1f us each: %.0f new TLS connections per second per shard (CPU-bound)\n",
      n, b - a, c / 1000 / n, n / (c / 1e9) }'
} | tee "$root/table.md"
