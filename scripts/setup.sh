#!/usr/bin/env bash
# Installs what grpo-lambda needs on Debian/Ubuntu (Swift itself must already be on PATH):
#   - the C libraries it links: nng (messaging), zstd (compression), OpenBLAS (matrix multiplies);
#   - openssl (the TLS transport test makes a throw-away certificate), zstd's CLI;
#   - a Python virtual environment in .venv/ with pynng and zstandard, for the protocol interop tests.
# Safe to run again. Uses sudo when not run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libnng-dev libzstd-dev libopenblas-dev openssl zstd python3 python3-venv >/dev/null

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check pynng zstandard
echo "setup: system packages and .venv (pynng, zstandard) ready" >&2
