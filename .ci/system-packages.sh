#!/usr/bin/env bash
# System tools the tests use, all from Debian's packages: the real Prometheus tools
# (promtool, amtool, prometheus), Chromium for the code-server end-to-end tests,
# libkrb5-dev for code-server's native modules, and nginx for the gateway test (the kit's
# generated gateway configuration in front of the vLLM fixture), and python3 for the model cache
# warm-up programs (test/core/model-cache-warmup.test.ts). Skips what is already installed.
set -euo pipefail
packages=(prometheus prometheus-alertmanager chromium libkrb5-dev nginx python3)
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
# The Debian prometheus and nginx packages start system services; tests run their own instances.
if command -v systemctl >/dev/null 2>&1; then systemctl stop prometheus prometheus-alertmanager nginx >/dev/null 2>&1 || true; fi
# Without systemd, the nginx package's init script may have started it.
if [ -x /etc/init.d/nginx ]; then /etc/init.d/nginx stop >/dev/null 2>&1 || true; fi
echo "system packages ready: ${packages[*]}"
