#!/usr/bin/env bash
# Emacs (batch) with eglot starts the server from editors/emacs and shows the CLI's
# diagnostics. Needs Debian's emacs-nox and elpa-eglot; prints "emacs: N passed, M failed".
set -euo pipefail
source "$(dirname "$0")/lib.sh" chars
HOME="$work" timeout 120 emacs --batch -q \
  --eval "(package-initialize)" -l "$repo/tests/editors/emacs/test.el" </dev/null >"$work/emacs.log" 2>&1 \
  || cat "$work/emacs.log" >&2
verdict emacs
