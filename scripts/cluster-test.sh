#!/usr/bin/env bash
# The cluster tests (issue 31), run by scripts/test.sh: sipbench-server
# instances behind Kamailio's dispatcher, each case one bounded run of
# scripts/cluster.sh whose own checks decide (see its --help):
#   1. 3 instances, 6,000 calls at 300/s (the issue's figures): every call
#      succeeds, each instance takes 25-42 % of them, the servers' BYEs
#      reach the caller through Kamailio, the dashboard's metrics are in a
#      live scrape;
#   2. the same over TCP, 900 calls;
#   3. kill -9 one of 3 halfway through 3,000 calls: marked down within
#      the probing window, the calls lost are the calls it held, 900 new
#      calls after the window all succeed;
#   4. SIGTERM (drain) one of 3 halfway through 3,000 calls: no call fails
#      for the caller, the instance exits 0;
#   5. an instance added halfway (kamcmd dispatcher.reload) takes calls.
# Cases 3-5 run 3,000 calls rather than 6,000 to keep the suite short on
# 2 cores; scripts/cluster.sh's defaults are the issue's 6,000 at 300/s.
# Uses the debug server (built here if missing). About 2 minutes.
#
#   scripts/cluster-test.sh [--server PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
server_bin=target/debug/sipbench-server
[ "${1:-}" = --server ] && server_bin=$2
[ -x "$server_bin" ] || cargo build --bin sipbench-server
reports=$(mktemp -d /tmp/sipbench-cluster-test.XXXXXX)
passed=0 failed=0
run_case() {
  local name=$1
  shift
  echo "== cluster: $name"
  if timeout -s KILL 240 scripts/cluster.sh --server "$server_bin" --report "$reports/$name" "$@" >"$reports/$name.txt" 2>&1; then
    passed=$(( passed + 1 ))
    grep -E '^(ok|FAIL) ' "$reports/$name.txt" | sed 's/^/   /'
  else
    failed=$(( failed + 1 ))
    echo "   FAILED ($reports/$name.txt):"
    sed 's/^/   | /' "$reports/$name.txt" | tail -30
  fi
}
run_case three-instances --instances 3 --calls 6000 --rate 300
run_case tcp --instances 3 --calls 900 --rate 300 --transport tcp
run_case kill-one --instances 3 --calls 3000 --rate 300 --kill-one
run_case drain-one --instances 3 --calls 3000 --rate 300 --drain-one
run_case add-one --instances 3 --calls 3000 --rate 300 --add-one
echo "cluster: $passed passed, $failed failed"
[ "$failed" = 0 ] && rm -rf "$reports"
[ "$failed" = 0 ]
