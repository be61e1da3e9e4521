#!/usr/bin/env bash
# The GitHub Action's lint step (action.yml), kept here so it can be tested. Reads the
# action's inputs from INPUT_PATHS, INPUT_FAIL_ON, INPUT_CONFIG, INPUT_ARGS and
# INPUT_SARIF_FILE (paths and args are split at whitespace), runs in $GITHUB_WORKSPACE:
#   - writes SARIF to INPUT_SARIF_FILE (when it is not empty),
#   - prints `--format github` annotations,
#   - writes `sarif-file` and `exit-code` to $GITHUB_OUTPUT and a summary to
#     $GITHUB_STEP_SUMMARY,
#   - exits with wps-lint's status for `--fail-on INPUT_FAIL_ON` (0, 1, or 2).
set -euo pipefail
: "${GITHUB_WORKSPACE:?}" "${GITHUB_OUTPUT:?}"
cd "$GITHUB_WORKSPACE"
bin=${WPS_LINT:-wps-lint}

read -r -a paths <<<"$(printf '%s' "${INPUT_PATHS:-.}" | tr '\n' ' ')"
[[ ${#paths[@]} -gt 0 ]] || paths=(.)
read -r -a extra <<<"$(printf '%s' "${INPUT_ARGS:-}" | tr '\n' ' ')"
options=()
if [[ -n "${INPUT_CONFIG:-}" ]]; then options+=(--config "$INPUT_CONFIG"); fi
options+=("${extra[@]}")

sarif=${INPUT_SARIF_FILE:-}
if [[ -n "$sarif" ]]; then
  mkdir -p "$(dirname "$sarif")"
  # The SARIF run never fails the step: the annotations' run below decides.
  if "$bin" check --format sarif --output "$sarif" --fail-on never "${options[@]}" -- "${paths[@]}"; then
    echo "sarif-file=$sarif" >>"$GITHUB_OUTPUT"
  else
    sarif=
  fi
fi

set +e
annotations=$("$bin" check --format github --fail-on "${INPUT_FAIL_ON:-error}" "${options[@]}" -- "${paths[@]}")
status=$?
set -e
printf '%s\n' "$annotations" | sed '/^$/d'
echo "exit-code=$status" >>"$GITHUB_OUTPUT"

count() { printf '%s\n' "$annotations" | grep -c "^::$1 file=.*,line=" || true; }
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  {
    echo "### wps-lint"
    echo
    if [[ $status == 2 ]]; then
      echo "The run failed (exit status 2); see the step's log."
    else
      echo "$(count error) errors, $(count warning) warnings, $(count notice) infos (fail on: ${INPUT_FAIL_ON:-error})."
    fi
    if [[ -n "$sarif" ]]; then echo; echo "SARIF: \`$sarif\`"; fi
  } >>"$GITHUB_STEP_SUMMARY"
fi
exit "$status"
