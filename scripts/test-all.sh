#!/usr/bin/env bash
# Installs what the tests need on this machine, then runs every test (lint, build, type-check, vitest).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
# Debian packages the test suites use (none yet for the queue server; the screens and devices add theirs).
need=()
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
npm test
