#!/usr/bin/env bash
# Benchmark of a whole-repository run, side by side with the floor it is measured against.
#
#   scripts/bench-corpus.sh [DIR] [RUNS]     (default: $WPS_LINT_CORPUS, 5 runs)
#
# Reports, for DIR: wps-lint's median time beside a parse-only pass over the same files
# (benches/parse_only.rs: find, read and parse the templates and parameter files, nothing
# more), the ratio, files, MB/s and peak RSS; --jobs 1 against --jobs 2; the largest single
# template; and a scaling run over 1x, 2x and 4x copies of DIR, where the peak RSS should stay
# flat. The copies are real ones: wps-lint lints a file that several names reach once, so
# hard-linked copies would be one corpus. With WPS_LINT_BICEP_CORPUS set to a folder of Bicep files, it also lints that
# folder beside a parse-only pass of the Bicep parser, on all cores and on one (MB/s per core),
# and beside parsing each file with the local modules it calls (what a lint evaluates: every
# module with each caller's parameters), and the Bicep files whose compiled JSON is in DIR beside that JSON.
# Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-${WPS_LINT_CORPUS:-}}
runs=${2:-5}
[ -d "$dir" ] || { echo "name a folder of templates, or set WPS_LINT_CORPUS to the corpus" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (Debian package: time)" >&2; exit 2; }
cargo build --release --quiet --bin wps-lint
# The binaries where cargo puts them (CARGO_TARGET_DIR and cargo's config included).
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
lint=$target_dir/release/wps-lint
parse=$(cargo bench --quiet --no-run --bench parse_only --message-format=json |
  python3 -c 'import json, sys; print([m["executable"] for m in map(json.loads, sys.stdin) if m.get("executable") and m["target"]["name"] == "parse_only"][-1])')

# Median seconds and largest peak of RUNS runs of CMD...
median() {
  local times=() peak=0 out
  # One run first, not counted: the page cache and the allocator start warm for every command.
  "$@" >/dev/null 2>&1 || true
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$scratch/time" "$@" >/dev/null 2>&1 || true
    out=$(tail -n 1 "$scratch/time")
    times+=("${out% *}")
    (( ${out#* } > peak )) && peak=${out#* }
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" "$peak"
}
check=(--format json --fail-on never --output /dev/null)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

files=$("$lint" "$dir" --format json --fail-on never | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["files"])')
bytes=$("$parse" "$dir" | awk '{print $4}')
read -r lint_s lint_kb < <(median "$lint" "$dir" "${check[@]}")
read -r parse_s parse_kb < <(median "$parse" "$dir")
read -r one_s _ < <(median "$lint" "$dir" --jobs 1 "${check[@]}")
read -r two_s _ < <(median "$lint" "$dir" --jobs 2 "${check[@]}")
largest=$(find "$dir" -name '*.json' -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
read -r big_s _ < <(median "$lint" "$largest" --no-context "${check[@]}")

python3 - "$files" "$bytes" "$lint_s" "$lint_kb" "$parse_s" "$parse_kb" "$one_s" "$two_s" "$big_s" "$largest" "$runs" <<'PY'
import os, sys
files, size = int(sys.argv[1]), int(sys.argv[2])
lint_s, lint_kb, parse_s, parse_kb = float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
one_s, two_s, big_s, largest, runs = float(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9]), sys.argv[10], sys.argv[11]
mb = size / 1e6
print(f"{files} templates; {mb:.1f} MB of templates and parameter files; median of {runs} runs, all cores")
print(f"  wps-lint      {lint_s:6.2f} s  {mb / lint_s:5.0f} MB/s  peak {lint_kb / 1024:5.0f} MiB")
print(f"  parse only    {parse_s:6.2f} s  {mb / parse_s:5.0f} MB/s  peak {parse_kb / 1024:5.0f} MiB")
print(f"  ratio         {lint_s / parse_s:6.2f}x the parse-only pass")
print(f"  --jobs 1      {one_s:6.2f} s; --jobs 2 {two_s:.2f} s: {one_s / two_s:.2f}x")
print(f"  largest file  {big_s * 1000:6.0f} ms  ({os.path.getsize(largest) / 1e6:.1f} MB, {largest})")
PY

echo "scaling (copies of $dir):"
for n in 1 2 4; do
  mkdir -p "$scratch/$n"
  for i in $(seq "$n"); do cp -r "$dir" "$scratch/$n/copy$i"; done
  linted=$("$lint" "$scratch/$n" --format json --fail-on never | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["files"])')
  read -r s kb < <(median "$lint" "$scratch/$n" "${check[@]}")
  awk -v n="$n" -v f="$linted" -v s="$s" -v kb="$kb" 'BEGIN {printf "  %sx  %6d files  %6.2f s  peak %5.0f MiB\n", n, f, s, kb / 1024}'
done

bicep=${WPS_LINT_BICEP_CORPUS:-}
if [ -d "$bicep" ]; then
  bicep_files=$("$lint" "$bicep" --format json --fail-on never | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["files"])')
  bicep_bytes=$("$parse" "$bicep" | awk '{print $4}')
  read -r blint_s blint_kb < <(median "$lint" "$bicep" "${check[@]}")
  read -r bparse_s _ < <(median "$parse" "$bicep")
  read -r bparse_one_s _ < <(median "$parse" "$bicep" --jobs 1)
  # Each file parsed with the local modules it calls, once per call: the Bicep a lint evaluates.
  closure_bytes=$("$parse" "$bicep" --with-modules | awk '{print $4}')
  read -r bclosure_s _ < <(median "$parse" "$bicep" --with-modules)
  python3 - "$bicep_files" "$bicep_bytes" "$blint_s" "$blint_kb" "$bparse_s" "$bparse_one_s" "$closure_bytes" "$bclosure_s" <<'PY'
import sys
files, mb = int(sys.argv[1]), int(sys.argv[2]) / 1e6
lint_s, lint_kb, parse_s, one_s = float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
closure_mb, closure_s = int(sys.argv[7]) / 1e6, float(sys.argv[8])
print(f"Bicep: {files} templates; {mb:.1f} MB of .bicep and .bicepparam files")
print(f"  wps-lint      {lint_s:6.2f} s  {mb / lint_s:5.0f} MB/s  peak {lint_kb / 1024:5.0f} MiB")
print(f"  parse only    {parse_s:6.2f} s  {mb / parse_s:5.0f} MB/s")
print(f"  ratio         {lint_s / parse_s:6.2f}x the parse-only pass")
print(f"  parse, 1 core {one_s:6.2f} s  {mb / one_s:5.0f} MB/s per core")
print(f"  with modules  {closure_s:6.2f} s  {closure_mb:5.1f} MB: each file parsed with the local modules it calls, once per call")
print(f"  ratio         {lint_s / closure_s:6.2f}x parsing each file with its modules")
PY
  # The Bicep files whose compiled JSON is in DIR (the same path, under any folder of DIR),
  # linted alone beside that JSON: the two front ends on the same deployments.
  mapfile -t paired < <(python3 - "$bicep" "$dir" <<'PY'
import os, sys
bicep, json_dir = sys.argv[1:3]
by_suffix = {}
for folder, _, names in os.walk(json_dir):
    for name in names:
        if name.endswith(".json"):
            parts = os.path.relpath(os.path.join(folder, name), json_dir).split(os.sep)
            for i in range(len(parts)):
                by_suffix.setdefault("/".join(parts[i:]), os.path.join(folder, name))
for folder, _, names in os.walk(bicep):
    for name in names:
        if name.endswith(".bicep"):
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, bicep)
            compiled = by_suffix.get(relative[: -len(".bicep")] + ".json")
            # Three parts or more, so that a bare `main.bicep` is not paired with a `main.json`.
            if compiled and relative.count(os.sep) >= 2:
                print(path + "\t" + compiled)
PY
  )
  if [ "${#paired[@]}" -gt 0 ]; then
    sources=() compiled=()
    for pair in "${paired[@]}"; do sources+=("${pair%%$'\t'*}"); compiled+=("${pair#*$'\t'}"); done
    read -r pb_s pb_kb < <(median "$lint" --no-context "${check[@]}" "${sources[@]}")
    read -r pj_s pj_kb < <(median "$lint" --no-context "${check[@]}" "${compiled[@]}")
    pb_mb=$(cat "${sources[@]}" | wc -c) pj_mb=$(cat "${compiled[@]}" | wc -c)
    awk -v n="${#paired[@]}" -v bs="$pb_s" -v bk="$pb_kb" -v bm="$pb_mb" -v js="$pj_s" -v jk="$pj_kb" -v jm="$pj_mb" 'BEGIN {
      printf "Bicep beside its compiled JSON: %d files named, --no-context\n", n
      printf "  .bicep        %6.2f s  %5.1f MB, local modules read besides  peak %5.0f MiB\n", bs, bm / 1e6, bk / 1024
      printf "  compiled JSON %6.2f s  %5.1f MB  peak %5.0f MiB\n", js, jm / 1e6, jk / 1024 }'
  fi
fi
