#!/usr/bin/env bash
# Profiles sipbench with linux-perf, or valgrind's callgrind where perf
# does not work. Outputs land in perf/out/ (ignored by git).
#
#   perf/profile.sh server [--rate CPS] [--calls N]
#       the release server under a SIPp load (sipp/uac_call.xml, one
#       shard): perf record of the server's threads, a flamegraph SVG
#       (inferno, installed into perf/out/tools when missing), perf stat
#       of the server's software (and, where the machine has them,
#       hardware) counters, and the top symbols. Defaults: 1000 calls/s,
#       10000 calls. Fallback: callgrind of the whole server run.
#   perf/profile.sh call | parse
#       an in-process hot path (a whole UAS call through ShardCore, or the
#       INVITE parse) from the criterion benches: top symbols.
#   perf/profile.sh instructions
#       callgrind instruction counts of a whole UAS call and of the three
#       parses (examples/callgrind_probe.rs, bench build): per iteration,
#       from two run lengths, so setup cancels out. Deterministic: compare
#       commits with the same probe file in both trees.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-call}"
[ $# -gt 0 ] && shift
rate=1000 calls=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift ;;
    --calls) calls=$2; shift ;;
    *) echo "unknown flag: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
install_pkg() { as_root apt-get update -q && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "$@"; }
command -v perf >/dev/null 2>&1 || install_pkg linux-perf
mkdir -p perf/out
perf_works() { perf record -o /dev/null true >/dev/null 2>&1; }

if [ "$mode" = server ]; then
  command -v sipp >/dev/null 2>&1 || install_pkg sip-tester
  cargo build --release --bin sipbench-server
  out=perf/out/server port=5570
  mkdir -p "$out"
  cp sipp/uac_call.xml "$out/"
  wrap=()
  perf_works || { command -v valgrind >/dev/null 2>&1 || install_pkg valgrind; \
    wrap=(valgrind --tool=callgrind --callgrind-out-file="$out/server.callgrind"); }
  "${wrap[@]}" target/release/sipbench-server --listen "127.0.0.1:$port" --shards 1 --quiet \
    --report "$out/report" >"$out/server.txt" 2>"$out/server.log" &
  server=$!
  trap 'kill -TERM "$server" 2>/dev/null || true' EXIT
  for _ in $(seq 300); do grep -q 'listening on' "$out/server.log" 2>/dev/null && break; sleep 0.1; done
  grep -q 'listening on' "$out/server.log" || { cat "$out/server.log" >&2; exit 1; }
  # The server's own PID (under valgrind, the wrapper is the server).
  recorder=()
  if perf_works; then
    perf record -F 1999 -g -p "$server" -o "$out/server.data" >/dev/null 2>"$out/perf-record.log" &
    recorder+=($!)
    perf stat -p "$server" -o "$out/perf-stat.txt" \
      -e task-clock,context-switches,cpu-migrations,page-faults,cycles,instructions,cache-misses 2>/dev/null &
    recorder+=($!)
  fi
  budget=$(( calls / rate + 60 ))
  (cd "$out" && timeout -k 5 "$budget" sipp -sf uac_call.xml "127.0.0.1:$port" -i 127.0.0.1 -p $(( port + 1 )) \
    -mp $(( port + 2 )) -cp $(( port + 6 )) -r "$rate" -m "$calls" -l $(( rate * 2 )) -nostdin \
    -timeout "$(( budget - 5 ))s" -timeout_error -trace_stat -stf stat.csv -fd 1 >sipp.txt 2>sipp.err) || true
  for p in "${recorder[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${recorder[@]}"; do wait "$p" 2>/dev/null || true; done
  kill -TERM "$server"
  wait "$server" || true
  trap - EXIT
  echo "== server under SIPp: $calls calls at $rate/s"
  grep -E '^calls (received|completed|failed)' "$out/server.txt" || true
  if [ -f "$out/server.data" ]; then
    tools=perf/out/tools
    if ! [ -x "$tools/bin/inferno-flamegraph" ]; then
      command -v inferno-flamegraph >/dev/null 2>&1 && tools="$(dirname "$(dirname "$(command -v inferno-flamegraph)")")" \
        || cargo install inferno --locked --quiet --root "$tools"
    fi
    perf script -i "$out/server.data" 2>/dev/null | "$tools/bin/inferno-collapse-perf" >"$out/server.folded"
    "$tools/bin/inferno-flamegraph" --title "sipbench-server, SIPp $rate calls/s" <"$out/server.folded" \
      >"$out/server-flamegraph.svg"
    echo "== perf stat (counters the machine lacks show <not supported>)"
    grep -E '^ +[0-9<]' "$out/perf-stat.txt" || true
    echo "== top symbols (self time)"
    perf report -i "$out/server.data" --no-children --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -25
    echo "flamegraph: $out/server-flamegraph.svg"
  else
    callgrind_annotate "$out/server.callgrind" | head -40
    echo "callgrind data: $out/server.callgrind (perf is not supported here)"
  fi
  exit 0
fi

if [ "$mode" = instructions ]; then
  command -v valgrind >/dev/null 2>&1 || install_pkg valgrind
  cargo build --profile bench --example callgrind_probe >/dev/null 2>&1
  probe=target/release/examples/callgrind_probe
  for what in call parse; do
    counts=()
    for n in 2000 4000; do
      valgrind --tool=callgrind --callgrind-out-file=perf/out/probe-$what-$n.callgrind \
        --toggle-collect='callgrind_probe::probe_*' "$probe" "$what" "$n" >/dev/null 2>&1
      counts+=("$(grep -E '^(summary|totals):' perf/out/probe-$what-$n.callgrind | head -1 | awk '{print $2}')")
    done
    echo "$what: $(( (counts[1] - counts[0]) / 2000 )) instructions per iteration"
  done
  exit 0
fi

bench="$mode"
filter=""
[ "$bench" = parse ] && filter='^parse/invite$'
cargo bench --bench "$bench" --no-run >/dev/null 2>&1
bin=$(ls -t target/release/deps/"$bench"-* | grep -v '\.d$' | head -1)
if perf_works; then
  perf record -g -o perf/out/"$bench".data "$bin" --bench $filter --profile-time 5 >/dev/null 2>&1
  perf report -i perf/out/"$bench".data --no-children --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -25
else
  command -v valgrind >/dev/null 2>&1 || install_pkg valgrind
  valgrind --tool=callgrind --callgrind-out-file=perf/out/"$bench".callgrind "$bin" --bench $filter --profile-time 1 >/dev/null 2>&1
  callgrind_annotate perf/out/"$bench".callgrind | head -40
fi
