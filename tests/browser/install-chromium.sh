#!/bin/sh
# Debian's headless Chromium and a plain font for tests/browser (the HTML report's screenshot
# test). No emoji font on purpose: the report must render without one. Run as root; CI's
# .ci/run calls this before the tests.
set -eu
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
