#!/usr/bin/env bash
# Installs what the tests need on this machine, then runs every test (lint, build, type-check, vitest).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
# Debian packages the test suites use: Chromium and a CJK font for the screens' browser tests, socat for serial.
need=()
command -v chromium >/dev/null || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'wenquanyi zen hei' || need+=(fonts-wqy-zenhei)
# serial devices are tested over socat pty pairs
command -v socat >/dev/null || need+=(socat)
# the contract's smoke check (../shared/checks/smoke.sh) runs the server on a weekday morning through faketime
command -v faketime >/dev/null || need+=(faketime)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
rm -f test-results/vitest.json test-results/playwright.json
rc=0
npm test || rc=$?
# The plain closing line: "N passed, N failed, N skipped".
node scripts/test-summary.mjs test-results/vitest.json test-results/playwright.json || { [ "$rc" -ne 0 ] || rc=1; }
exit "$rc"
