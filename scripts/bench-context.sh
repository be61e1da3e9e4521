#!/usr/bin/env bash
# Benchmark of runs that name files inside a repository, of the on-disk cache, and of the
# cross-file join.
#
#   scripts/bench-context.sh [CORPUS] [RUNS]     (default: $WPS_LINT_CORPUS, 5 runs)
#
# In a temporary git repository holding CORPUS (hard-linked) and examples/, reports median time
# and peak RSS of: one named file, with context and with --no-context, and the whole
# repository, each with a cold cache (the repository's .wps-lint-cache removed before every
# run) and a warm one (left by the run before). The page cache is warm throughout. Then the
# join's scaling: N generated templates of 500 shared private links each (none approved, so
# every link waits on the whole set), N = 5, 10, 20, 40, with --no-context: doubling N should
# at most double the time. Needs GNU time (/usr/bin/time). WPS_LINT=path benchmarks another
# binary (e.g. an older build, which has no cache: its cold and warm runs are alike) instead of
# building this one.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-${WPS_LINT_CORPUS:-}}
runs=${2:-5}
[ -d "$corpus" ] || { echo "name the corpus folder, or set WPS_LINT_CORPUS" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (Debian package: time)" >&2; exit 2; }
if [ -z "${WPS_LINT:-}" ]; then
  cargo build --release --quiet --bin wps-lint
  # Where cargo puts it (CARGO_TARGET_DIR and cargo's config included).
  target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  WPS_LINT=$target_dir/release/wps-lint
fi
lint=$WPS_LINT
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# One run: "seconds peak-KiB".
once() {
  /usr/bin/time -f '%e %M' -o "$scratch/time" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$scratch/time"
}
# Median seconds and largest peak of RUNS runs; with FRESH=1 the cache is removed before each.
median() {
  local times=() peak=0 out
  for _ in $(seq "$runs"); do
    [ "${FRESH:-0}" = 1 ] && rm -rf .wps-lint-cache
    out=$(once "$@")
    times+=("${out% *}")
    (( ${out#* } > peak )) && peak=${out#* }
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" "$peak"
}
show() { awk -v what="$1" -v s="$2" -v kb="$3" 'BEGIN {printf "  %-38s %7.3f s  peak %5.0f MiB\n", what, s, kb / 1024}'; }

repo=$scratch/repo
mkdir -p "$repo"
git -C "$repo" init -q
cp -al "$corpus" "$repo/corpus" 2>/dev/null || cp -a "$corpus" "$repo/corpus"
cp -a examples "$repo/examples"
check=(check --format json --fail-on never --output /dev/null)
named=examples/web-pubsub-private-vault.json

echo "in a repository holding $corpus and examples/, naming $named; median of $runs runs:"
cd "$repo"
# Not timed: the page cache.
"$lint" "${check[@]}" --no-cache . >/dev/null 2>&1 || true
"$lint" "${check[@]}" . >/dev/null 2>&1 || true
for what in context no-context whole; do
  case $what in
    context) args=("$named"); label="one file" ;;
    no-context) args=(--no-context "$named"); label="one file, --no-context" ;;
    whole) args=(.); label="whole repository" ;;
  esac
  read -r s kb < <(FRESH=1 median "$lint" "${check[@]}" "${args[@]}")
  show "$label, cold cache" "$s" "$kb"
  read -r s kb < <(median "$lint" "${check[@]}" "${args[@]}")
  show "$label, warm cache" "$s" "$kb"
done
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
