#!/usr/bin/env bash
# Headless Neovim starts the server from editors/neovim and receives the CLI's diagnostics.
# Needs `nvim` (Debian's neovim); prints "neovim: N passed, M failed".
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${WPS_LINT_BIN:-$repo/target/debug/wps-lint}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$repo/tests/editors/workspace" "$work/ws"
export WPS_REPO="$repo" WPS_WS="$work/ws" WPS_BIN="$bin" WPS_RESULTS="$work/results.json"
WPS_EXPECTED="$(python3 "$repo/tests/editors/compare.py" expected "$bin" "$work/ws" utf16)"
export WPS_EXPECTED
timeout 120 nvim --headless -u NONE -i NONE -n \
  -c "luafile $repo/tests/editors/neovim/test.lua" </dev/null >"$work/nvim.log" 2>&1 || cat "$work/nvim.log" >&2
python3 "$repo/tests/editors/compare.py" verdict "$bin" "$work/ws" utf16 "$work/results.json" neovim
