#!/usr/bin/env bash
# Validate a SARIF file the way the contract asks: Microsoft's SARIF multitool (schema, SARIF
# correctness rules SARIF1xxx/2xxx and the GitHub code-scanning ingestion rules GH1xxx), then a
# strict JSON-schema check against the SARIF 2.1.0 schema that ships inside the multitool package
# (the multitool lets some schema violations through, e.g. `"level": "info"`).
#
# Usage: validate-sarif.sh [--strict] [--notes] FILE.sarif
#   --strict  also fail on multitool warnings
#   --notes   also print the multitool's notes (style advice)
# Exit: 0 valid; 1 validation errors (or warnings with --strict); 2 usage error or tool missing.
#
# Installs nothing. Needs:
#   - npm package @microsoft/sarif-multitool (its dependency @microsoft/sarif-multitool-linux
#     holds the self-contained Sarif.Multitool binary and sarif-2.1.0.json), found through
#     $SARIF_MULTITOOL (path to the Sarif.Multitool binary), a node_modules/ in or above the
#     current directory or this script's directory, or the global npm root;
#   - python3 with the `jsonschema` package.
# Install: npm install -g --no-audit --no-fund @microsoft/sarif-multitool@5.7.0   (~2 s, ~100 MB)
#          or, without -g, in a folder of your own and set SARIF_MULTITOOL to
#          DIR/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
#          (python3 -m pip install 'jsonschema>=4.18' if it is missing)
set -euo pipefail

strict=0
notes=0
file=
for arg in "$@"; do
    case "$arg" in
        --strict) strict=1 ;;
        --notes) notes=1 ;;
        -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
        -*) echo "validate-sarif.sh: unknown option $arg" >&2; exit 2 ;;
        *)
            if [[ -n "$file" ]]; then echo "validate-sarif.sh: one file only" >&2; exit 2; fi
            file=$arg
            ;;
    esac
done
if [[ -z "$file" ]]; then
    echo "usage: validate-sarif.sh [--strict] [--notes] FILE.sarif" >&2
    exit 2
fi
if [[ ! -f "$file" ]]; then
    echo "validate-sarif.sh: no such file: $file" >&2
    exit 2
fi

find_multitool() {
    local rel=@microsoft/sarif-multitool-linux/Sarif.Multitool
    if [[ -n "${SARIF_MULTITOOL:-}" ]]; then
        echo "$SARIF_MULTITOOL"
        return
    fi
    local start dir
    for start in "$PWD" "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; do
        dir=$start
        while :; do
            if [[ -x "$dir/node_modules/$rel" ]]; then
                echo "$dir/node_modules/$rel"
                return
            fi
            [[ "$dir" == / ]] && break
            dir=$(dirname "$dir")
        done
    done
    if command -v npm >/dev/null 2>&1; then
        local root
        root=$(npm root -g 2>/dev/null || true)
        for candidate in "$root/$rel" "$root/@microsoft/sarif-multitool/node_modules/$rel"; do
            if [[ -x "$candidate" ]]; then
                echo "$candidate"
                return
            fi
        done
    fi
    return 1
}

if ! multitool=$(find_multitool) || [[ ! -x "$multitool" ]]; then
    echo "validate-sarif.sh: Sarif.Multitool not found; install it with" >&2
    echo "  npm install -g --no-audit --no-fund @microsoft/sarif-multitool@5.7.0" >&2
    echo "or point SARIF_MULTITOOL at the Sarif.Multitool binary (npm 11 skips the package's" >&2
    echo "install script, which only runs chmod u+x on it: do that yourself)" >&2
    exit 2
fi
schema="$(dirname "$multitool")/sarif-2.1.0.json"
if ! python3 -c 'import jsonschema' 2>/dev/null; then
    echo "validate-sarif.sh: python3 with the jsonschema package is needed" >&2
    exit 2
fi

# The self-contained .NET binary needs no ICU for this.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-1}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# SARIF2006 fetches every URI in the log to see that it is reachable: no network calls here.
cat >"$work/policy.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
EOF

levels="Error;Warning"
[[ $notes == 1 ]] && levels="Error;Warning;Note"

status=0
# The multitool exits 0 even when it finds errors: its own SARIF log says what it found.
if ! "$multitool" validate "$file" --config "$work/policy.xml" --rule-kind "Sarif;Gh" \
    --level "$levels" --output "$work/validation.sarif" --log ForceOverwrite \
    >"$work/console.txt" 2>&1; then
    cat "$work/console.txt" >&2
    echo "validate-sarif.sh: the multitool failed to run" >&2
    exit 2
fi
grep -E ': (error|warning|note) ' "$work/console.txt" | grep -v WRN999 || true

python3 - "$file" "$work/validation.sarif" "$schema" "$strict" <<'EOF' || status=1
import json
import sys

import jsonschema

path, validation, schema_path, strict = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
failed = False

with open(validation, encoding="utf-8-sig") as f:
    log = json.load(f)
counts = {"error": 0, "warning": 0, "note": 0}
for run in log.get("runs", []):
    for result in run.get("results", []):
        level = result.get("level", "warning")
        counts[level] = counts.get(level, 0) + 1
    for invocation in run.get("invocations", []):
        if not invocation.get("executionSuccessful", True):
            print("multitool: execution was not successful", file=sys.stderr)
            failed = True
        for notification in invocation.get("toolExecutionNotifications", []):
            if notification.get("level", "warning") == "error":
                print("multitool:", notification.get("message", {}).get("text"), file=sys.stderr)
                failed = True
print(
    f"multitool: {counts['error']} error(s), {counts['warning']} warning(s), "
    f"{counts['note']} note(s) in {path}"
)
if counts["error"] or (strict and counts["warning"]):
    failed = True

with open(schema_path, encoding="utf-8-sig") as f:
    schema = json.load(f)
with open(path, encoding="utf-8") as f:
    try:
        document = json.load(f)
    except json.JSONDecodeError as error:
        print(f"schema: {path} is not JSON: {error}", file=sys.stderr)
        sys.exit(1)
validator_class = jsonschema.validators.validator_for(schema)
validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
for error in errors:
    print(f"schema: {error.json_path}: {error.message}", file=sys.stderr)
print(f"schema: {len(errors)} error(s) against {schema.get('title', schema_path)}")
if errors:
    failed = True

sys.exit(1 if failed else 0)
EOF

if [[ $status == 0 ]]; then
    echo "valid SARIF: $file"
else
    echo "INVALID SARIF: $file" >&2
fi
exit $status
