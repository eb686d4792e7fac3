#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing (needs root):
# - Chromium (Playwright drives it; no browser download) and a CJK font for the browser tests;
# - PostgreSQL and Redis for the production-profile tests, which start private servers on
#   127.0.0.1 themselves (the packages' own services are not used).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk\|noto serif cjk" || missing+=(fonts-wqy-microhei)
ls /usr/lib/postgresql/*/bin/pg_ctl > /dev/null 2>&1 || missing+=(postgresql)
command -v redis-server > /dev/null 2>&1 || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "the tests need: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})" >&2
  exit 0
fi
echo "installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d: install the servers without starting their system services (ours are private).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
