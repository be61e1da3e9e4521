#!/usr/bin/env bash
# Emacs (batch) with eglot starts the server from editors/emacs and shows the CLI's
# diagnostics. Needs Debian's emacs-nox and elpa-eglot; prints "emacs: N passed, M failed".
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${WPS_LINT_BIN:-$repo/target/debug/wps-lint}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$repo/tests/editors/workspace" "$work/ws"
export WPS_REPO="$repo" WPS_WS="$work/ws" WPS_BIN="$bin" WPS_RESULTS="$work/results.json"
WPS_EXPECTED="$(python3 "$repo/tests/editors/compare.py" expected "$bin" "$work/ws" chars)"
export WPS_EXPECTED
HOME="$work" timeout 120 emacs --batch -q \
  --eval "(package-initialize)" -l "$repo/tests/editors/emacs/test.el" </dev/null >"$work/emacs.log" 2>&1 \
  || cat "$work/emacs.log" >&2
python3 "$repo/tests/editors/compare.py" verdict "$bin" "$work/ws" chars "$work/results.json" emacs
