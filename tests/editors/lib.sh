# Shared by the editor test scripts (sourced): a scratch copy of the fixture workspace, the
# binary, the CLI's expected diagnostics in the editor's column unit, and the verdict.
# Usage: source lib.sh UNIT (utf16 or chars); sets repo, bin, work and the WPS_* variables.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The debug build where cargo puts it (CARGO_TARGET_DIR and cargo's config included).
target_dir="$(cd "$repo" && cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
bin="${WPS_LINT_BIN:-$target_dir/debug/wps-lint}"
unit="$1"
work="$(mktemp -d)"
on_exit=()
cleanup() {
  for step in "${on_exit[@]}"; do eval "$step"; done
  rm -rf "$work"
}
trap cleanup EXIT
cp -r "$repo/tests/editors/workspace" "$work/ws"
export WPS_REPO="$repo" WPS_WS="$work/ws" WPS_BIN="$bin" WPS_RESULTS="$work/results.json"
WPS_EXPECTED="$(python3 "$repo/tests/editors/compare.py" expected "$bin" "$work/ws" "$unit")"
export WPS_EXPECTED

# Prints the checks and "EDITOR: N passed, M failed"; fails when any check did.
verdict() {
  python3 "$repo/tests/editors/compare.py" verdict "$bin" "$work/ws" "$unit" "$WPS_RESULTS" "$1"
}
