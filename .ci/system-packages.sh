#!/usr/bin/env bash
# System tools the tests use, all from Debian's packages: the real Prometheus tools
# (promtool, amtool, prometheus), Chromium for the code-server end-to-end tests, and
# libkrb5-dev for code-server's native modules. Skips what is already installed.
set -euo pipefail
packages=(prometheus prometheus-alertmanager chromium libkrb5-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian prometheus package starts a system service; tests run their own instances.
if command -v systemctl >/dev/null 2>&1; then systemctl stop prometheus prometheus-alertmanager >/dev/null 2>&1 || true; fi
echo "system packages ready: ${packages[*]}"
