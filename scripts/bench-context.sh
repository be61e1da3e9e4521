#!/usr/bin/env bash
# Benchmark of runs that name files inside a repository, and of the cross-file join.
#
#   scripts/bench-context.sh [CORPUS] [RUNS]     (default: $WPS_LINT_CORPUS, 5 runs)
#
# In a temporary git repository holding CORPUS (hard-linked) and examples/, reports median time
# and peak RSS of: one named file, with context and with --no-context (first run after a build
# is "cold", the page cache and the files' first reads; then "warm"); the whole repository, cold
# and warm. Then the join's scaling: N generated templates of 500 shared private links each
# (none approved, so every link waits on the whole set), N = 5, 10, 20, 40, with --no-context:
# doubling N should at most double the time. Needs GNU time (/usr/bin/time). WPS_LINT=path benchmarks
# another binary (e.g. an older build) instead of building this one.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-${WPS_LINT_CORPUS:-}}
runs=${2:-5}
[ -d "$corpus" ] || { echo "name the corpus folder, or set WPS_LINT_CORPUS" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (Debian package: time)" >&2; exit 2; }
if [ -z "${WPS_LINT:-}" ]; then
  cargo build --release --quiet --bin wps-lint
  WPS_LINT=$PWD/target/release/wps-lint
fi
lint=$WPS_LINT
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# One run: "seconds peak-KiB".
once() {
  /usr/bin/time -f '%e %M' -o "$scratch/time" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$scratch/time"
}
# Median seconds and largest peak of RUNS runs.
median() {
  local times=() peak=0 out
  for _ in $(seq "$runs"); do
    out=$(once "$@")
    times+=("${out% *}")
    (( ${out#* } > peak )) && peak=${out#* }
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" "$peak"
}
show() { awk -v what="$1" -v s="$2" -v kb="$3" 'BEGIN {printf "  %-34s %7.3f s  peak %5.0f MiB\n", what, s, kb / 1024}'; }

repo=$scratch/repo
mkdir -p "$repo"
git -C "$repo" init -q
cp -al "$corpus" "$repo/corpus" 2>/dev/null || cp -a "$corpus" "$repo/corpus"
cp -a examples "$repo/examples"
check=(check --format json --fail-on never --output /dev/null)
named=examples/web-pubsub-private-vault.json

echo "named file ($named) in a repository holding $corpus; median of $runs runs:"
cd "$repo"
for mode in context no-context; do
  extra=()
  [ "$mode" = no-context ] && extra=(--no-context)
  read -r s kb < <(once "$lint" "${check[@]}" "${extra[@]}" "$named")
  show "one file, $mode, cold" "$s" "$kb"
  read -r s kb < <(median "$lint" "${check[@]}" "${extra[@]}" "$named")
  show "one file, $mode, warm" "$s" "$kb"
done
read -r s kb < <(once "$lint" "${check[@]}" .)
show "whole repository, cold" "$s" "$kb"
read -r s kb < <(median "$lint" "${check[@]}" .)
show "whole repository, warm" "$s" "$kb"
cd - >/dev/null

echo "join scaling: N templates of 500 links each, --no-context:"
for n in 5 10 20 40; do
  mkdir -p "$scratch/links/$n"
  python3 - "$n" "$scratch/links/$n" <<'PY'
import json, os, sys
n, out = int(sys.argv[1]), sys.argv[2]
for t in range(n):
    service = f"wps-{t}"
    resources = [{"type": "Microsoft.SignalRService/webPubSub", "apiVersion": "2024-03-01",
                  "name": service, "location": "eastus",
                  "sku": {"name": "Premium_P1", "tier": "Premium", "capacity": 1},
                  "identity": {"type": "SystemAssigned"}, "properties": {}}]
    for i in range(500):
        vault = f"kv{t}x{i}"
        resources.append({
            "type": "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources",
            "apiVersion": "2024-03-01", "name": f"{service}/link-{i}",
            "dependsOn": [f"[resourceId('Microsoft.SignalRService/webPubSub', '{service}')]"],
            "properties": {"groupId": "vault", "requestMessage": "bench",
                           "privateLinkResourceId": f"[resourceId('Microsoft.KeyVault/vaults', '{vault}')]"}})
    doc = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
           "contentVersion": "1.0.0.0", "resources": resources}
    with open(os.path.join(out, f"links-{t:03}.json"), "w") as f:
        json.dump(doc, f, indent=1)
PY
  read -r s kb < <(median "$lint" "${check[@]}" --no-context "$scratch/links/$n")
  show "N = $n" "$s" "$kb"
done
