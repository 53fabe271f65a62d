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

# rustfmt and clippy come with rustup's default profile; add them if absent.
if command -v rustup >/dev/null 2>&1; then
  cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
  cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
echo "== cargo test (doctests, then all targets)"
cargo test --doc
cargo test --all-targets
