#!/usr/bin/env bash
# The editor tests: build, unit-test and package the VS Code extension, then run Neovim, Emacs
# and VS Code against the debug build. Runs every editor even when one fails; the exit status
# is non-zero when any did.
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
status=0
cargo build --quiet || exit 1
(
  cd editors/vscode &&
    npm ci --no-audit --no-fund --silent &&
    npm run --silent compile &&
    npm test --silent &&
    npm run --silent package
) || { echo "vscode extension: build, test or package failed"; exit 1; }
for editor in neovim emacs vscode; do
  bash "tests/editors/$editor.sh" || status=1
done
exit $status
