#!/usr/bin/env bash
# Benchmark: lint the whole corpus of real templates (the folder WPS_LINT_CORPUS names) with the
# release build and report files, megabytes per second and peak memory.
# Usage: WPS_LINT_CORPUS=DIR scripts/bench-corpus.sh [RUNS] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jobs=${2:-$(nproc)}
corpus=${WPS_LINT_CORPUS:-}
[ -d "$corpus" ] || { echo "set WPS_LINT_CORPUS to the folder of the corpus of real templates" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/wps-lint
bytes=$(find "$corpus" -type f \( -name '*.json' -o -name '*.jsonc' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$("$bin" "$corpus" --format json --fail-on never | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["files"])')
times=()
peak=0
for _ in $(seq "$runs"); do
  out=$( { /usr/bin/time -f '%e %M' "$bin" "$corpus" --jobs "$jobs" --format json --fail-on never --output /dev/null; } 2>&1 )
  times+=("${out% *}")
  rss=${out#* }
  (( rss > peak )) && peak=$rss
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
python3 - "$files" "$bytes" "$median" "$peak" "$runs" "$jobs" <<'PY'
import sys
files, size, secs, peak, runs, jobs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
mb = size / 1e6
print(f"{files} templates, {mb:.1f} MB of JSON read; median of {runs} runs with {jobs} threads: "
      f"{secs:.2f} s, {mb / secs:.0f} MB/s, peak memory {peak / 1024:.0f} MiB")
PY
