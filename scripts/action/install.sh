#!/usr/bin/env bash
# The GitHub Action's install steps (action.yml), kept here so they can be tested.
#   install.sh key      writes `key=...` to $GITHUB_OUTPUT: the cache key of this build
#                       (runner OS and a hash of the sources at the action's ref)
#   install.sh install  puts wps-lint in $WPS_LINT_ROOT/bin (cargo install --locked from
#                       $GITHUB_ACTION_PATH) and on $GITHUB_PATH. A build the cache restored
#                       is kept when it was made for $WPS_LINT_KEY (the key above); an older
#                       one (restored by a prefix of the key) is rebuilt, incrementally.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?}" "${GITHUB_OUTPUT:?}"
root=${WPS_LINT_ROOT:-${RUNNER_TEMP:-/tmp}/wps-lint}

case "${1:-}" in
  key)
    # The sources that make the binary; the action's own scripts do not change it.
    hash=$(cd "$GITHUB_ACTION_PATH" &&
      find Cargo.toml Cargo.lock build.rs src rules -type f -print0 | LC_ALL=C sort -z |
      xargs -0 sha256sum | sha256sum | cut -c1-16)
    echo "key=wps-lint-${RUNNER_OS:-$(uname -s)}-$hash" >>"$GITHUB_OUTPUT"
    ;;
  install)
    if [[ -x "$root/bin/wps-lint" && -n "${WPS_LINT_KEY:-}" && "$(cat "$root/key" 2>/dev/null)" == "$WPS_LINT_KEY" ]] &&
      "$root/bin/wps-lint" --version >/dev/null 2>&1; then
      echo "wps-lint: using the cached build ($("$root/bin/wps-lint" --version))"
    else
      export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-${RUNNER_TEMP:-/tmp}/wps-lint-target}
      cargo install --locked --force --path "$GITHUB_ACTION_PATH" --root "$root"
      printf '%s\n' "${WPS_LINT_KEY:-}" >"$root/key"
    fi
    if [[ -n "${GITHUB_PATH:-}" ]]; then echo "$root/bin" >>"$GITHUB_PATH"; fi
    ;;
  *)
    echo "usage: install.sh key|install" >&2
    exit 2
    ;;
esac
