#!/usr/bin/env bash
# The one test command (README): installs what the tests need when it is
# missing, then runs the same gates as CI: fmt, clippy, every test target.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# SIPp (Debian's sip-tester) drives the server in the integration tests.
if ! command -v sipp >/dev/null 2>&1; then
  echo "== installing sip-tester (SIPp)"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q sip-tester
fi
command -v sipp >/dev/null 2>&1 || { echo "sipp is still missing after install" >&2; exit 1; }

# Kamailio (its dispatcher fronts the servers in the cluster tests), curl
# and python3 (the cluster script reads metrics and JSON reports).
missing=()
command -v kamailio >/dev/null 2>&1 && command -v kamcmd >/dev/null 2>&1 || missing+=(kamailio)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "${missing[@]}"
fi

# baresip is the softphone of the SRTP interop test (tests/baresip_srtp.rs):
# its srtp, ausine, aubridge and sndfile modules, headless.
if ! command -v baresip >/dev/null 2>&1; then
  echo "== installing baresip"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends baresip
fi
command -v baresip >/dev/null 2>&1 || { echo "baresip is still missing after install" >&2; exit 1; }

# rustfmt and clippy come with rustup's default profile; add them if absent.
if command -v rustup >/dev/null 2>&1; then
  cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
  cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
fi

# CI builds once from clean: incremental caches would only cost disk,
# so they are off here.
export CARGO_INCREMENTAL=0
echo "== disk before the build: $(df -h . | awk 'NR==2 {print $4 " free of " $2}')"
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
echo "== the engine alone: cargo clippy --no-default-features --lib -- -D warnings"
cargo clippy --no-default-features --lib -- -D warnings
cli_deps=$(cargo tree --no-default-features -e normal | grep -cE 'clap|plotters|serde_json|tracing-subscriber' || true)
if [ "$cli_deps" != 0 ]; then
  echo "the library without default features still depends on CLI crates ($cli_deps lines)" >&2
  exit 1
fi
echo "== the async feature: cargo clippy --all-targets --features async -- -D warnings"
cargo clippy --all-targets --features async -- -D warnings
echo "== rustdoc: every public item documented, no broken links"
RUSTDOCFLAGS="-D missing_docs -D rustdoc::broken_intra_doc_links" cargo doc --no-deps --features async
echo "== cargo test (doctests, then all targets)"
cargo test --doc
cargo test --all-targets
echo "== the cluster behind Kamailio's dispatcher: scripts/cluster-test.sh (issue 31)"
cargo build --bin sipbench-server
bash scripts/cluster-test.sh --server target/debug/sipbench-server
echo "== the async feature's tests: the event stream and awaited commands, the tokio example under SIPp"
cargo test --features async --test engine_async
cargo test --features async --test examples_sipp async_answer
