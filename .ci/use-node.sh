#!/usr/bin/env bash
# Sourced by .ci/run: the tests run on a Node.js that package.json's `engines` declares (22 or 24).
# A machine whose own Node is another major takes Node 22 from the npm registry (the `node`
# package ships the official binary) for this run only, by putting it first on PATH.
ci_node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$ci_node_major" != 22 ] && [ "$ci_node_major" != 24 ]; then
  ci_node_bin=$(npx --yes --package node@22.23.3 -c 'dirname "$(command -v node)"')
  export PATH="$ci_node_bin:$PATH"
  echo "Node $(node --version) from the npm registry (this machine has Node $ci_node_major, engines: 22 or 24)"
fi
unset ci_node_major ci_node_bin
