#!/usr/bin/env bash
# Headless Neovim starts the server from editors/neovim and receives the CLI's diagnostics.
# Needs `nvim` (Debian's neovim); prints "neovim: N passed, M failed".
set -euo pipefail
source "$(dirname "$0")/lib.sh" utf16
timeout 120 nvim --headless -u NONE -i NONE -n \
  -c "luafile $repo/tests/editors/neovim/test.lua" </dev/null >"$work/nvim.log" 2>&1 \
  || cat "$work/nvim.log" >&2
verdict neovim
