#!/usr/bin/env bash
# The pre-commit hook as users get it: a throwaway git repository whose .pre-commit-config.yaml
# points at this checkout (repo: its path, rev: its HEAD commit, so uncommitted changes are
# not tested), pre-commit clones it and `cargo install`s wps-lint, then commits are made.
#
# Needs pre-commit (pip install pre-commit) and cargo. Without pre-commit it prints
# `skipped: ...` and exits 0, unless WPS_LINT_REQUIRE_PRE_COMMIT=1 (set by .ci/run).
# WPS_LINT_HOOK_CACHE=DIR keeps pre-commit's environments and cargo's target folder between
# runs (the first build takes minutes). Ends with `pre-commit: N passed, M failed`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$root/tests/fixtures"

if ! command -v pre-commit >/dev/null 2>&1; then
  if [[ "${WPS_LINT_REQUIRE_PRE_COMMIT:-0}" != 0 ]]; then
    echo "pre-commit: not installed, and WPS_LINT_REQUIRE_PRE_COMMIT is set" >&2
    exit 1
  fi
  echo "skipped: pre-commit hook tests (pre-commit is not installed; .ci/run installs it)"
  exit 0
fi

rev=$(git -C "$root" rev-parse HEAD)
if [[ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]]; then
  echo "note: testing the committed HEAD ${rev:0:12}; uncommitted changes are not in it" >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cache=${WPS_LINT_HOOK_CACHE:-$work/cache}
export PRE_COMMIT_HOME="$cache/pre-commit" CARGO_TARGET_DIR="$cache/target"
# The repositories here must not see the user's git configuration (hooksPath, signing...).
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com

passed=0
failed=0

# new_repo NAME: a repository with the hook installed, failing on warnings too.
new_repo() {
  local dir="$work/$1"
  git init -q -b main "$dir"
  cat >"$dir/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: wps-lint
        args: [--fail-on, warning]
YAML
  (cd "$dir" && git add .pre-commit-config.yaml && git commit -q --no-verify -m setup && pre-commit install >/dev/null)
  echo "$dir"
}

# put REPO FIXTURE DEST: copies a fixture file into the repository.
put() {
  mkdir -p "$(dirname "$1/$3")"
  cp "$fixtures/$2" "$1/$3"
}

# verdict NAME EXPECTED(commits|blocked) STATUS OUTPUT [MUST_CONTAIN]
verdict() {
  local name=$1 expected=$2 status=$3 output=$4 must=${5:-}
  local got=blocked ok=1
  [[ $status == 0 ]] && got=commits
  [[ $got == "$expected" ]] || ok=0
  if [[ -n $must && $output != *"$must"* ]]; then ok=0; fi
  if [[ $ok == 1 ]]; then
    echo "ok: $name"
    passed=$((passed + 1))
  else
    echo "FAILED: $name ($got, expected $expected${must:+, output naming $must})"
    printf '%s\n' "$output" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}

# commit REPO: commits what is staged with the hook; sets status and output.
commit() {
  set +e
  output=$(cd "$1" && git commit -q -m change 2>&1)
  status=$?
  set -e
}

# 1. A template with a finding blocks the commit, and the output names the rule.
repo=$(new_repo finding-blocks)
put "$repo" e2e/break-group-id-vaults.json infra/wps.json
git -C "$repo" add infra
commit "$repo"
verdict finding-blocks blocked "$status" "$output" WPS103

# 2. A clean template commits.
repo=$(new_repo clean-commits)
put "$repo" e2e/complete-setup.json infra/wps.json
git -C "$repo" add infra
commit "$repo"
verdict clean-commits commits "$status" "$output"

# 3. A link whose approval is in a file the commit does not change: the hook is handed
# service.json only, and must still see vault.json's approval.
repo=$(new_repo approval-in-unchanged-file)
put "$repo" e2e/cross-file/vault.json infra/vault.json
(cd "$repo" && git add infra && git commit -q --no-verify -m vault)
put "$repo" e2e/cross-file/service.json infra/service.json
git -C "$repo" add infra
commit "$repo"
verdict approval-in-unchanged-file commits "$status" "$output"

# 4. A changed parameter file that brings a bad vault name is blocked, though its template
# is not part of the commit.
repo=$(new_repo parameter-file-bad-vault-name)
put "$repo" WPS201/silent-parameter-file.json infra/main.json
put "$repo" WPS201/silent-parameter-file.parameters.json infra/main.parameters.json
git -C "$repo" add infra
commit "$repo"
if [[ $status != 0 ]]; then
  echo "FAILED: parameter-file-bad-vault-name: the correct setup does not commit"
  printf '%s\n' "$output" | sed 's/^/    /'
  failed=$((failed + 1))
else
  sed -i 's#vaults/kv-contoso-prod#vaults/kv_contoso_prod#' "$repo/infra/main.parameters.json"
  git -C "$repo" add infra
  commit "$repo"
  verdict parameter-file-bad-vault-name blocked "$status" "$output" WPS104
fi

# 5. A Bicep file with a finding blocks the commit, and the output names the rule.
repo=$(new_repo bicep-finding-blocks)
put "$repo" WPS103/fires-bicep.bicep infra/main.bicep
git -C "$repo" add infra
commit "$repo"
verdict bicep-finding-blocks blocked "$status" "$output" WPS103

# 6. A clean Bicep file commits.
repo=$(new_repo bicep-clean-commits)
put "$repo" WPS201/silent-bicep.bicep infra/main.bicep
git -C "$repo" add infra
commit "$repo"
verdict bicep-clean-commits commits "$status" "$output"

# 7. A Bicep module's link whose approval is in the unchanged template that deploys the
# module: the hook is handed the module only (alone it has WPS201), and must still see the
# approval.
repo=$(new_repo bicep-module-approved-in-unchanged-file)
mkdir -p "$repo/infra/modules"
cat >"$repo/infra/main.bicep" <<'BICEP'
// Deploys the link module and approves the connection the link creates on the vault.
resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv-contoso-prod'
}

module link 'modules/link.bicep' = {
  name: 'link'
}

resource approval 'Microsoft.KeyVault/vaults/privateEndpointConnections@2023-07-01' = {
  parent: kv
  name: 'wps-link-approval'
  properties: {
    privateLinkServiceConnectionState: {
      status: 'Approved'
      description: 'Approved for Web PubSub'
    }
  }
  dependsOn: [
    link
  ]
}
BICEP
(cd "$repo" && git add infra && git commit -q --no-verify -m main)
cat >"$repo/infra/modules/link.bicep" <<'BICEP'
resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv-contoso-prod'
}

resource wps 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {
  name: 'wps-contoso-prod'
}

resource link 'Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources@2024-03-01' = {
  parent: wps
  name: 'kv-link'
  properties: {
    groupId: 'vault'
    privateLinkResourceId: kv.id
    requestMessage: 'Web PubSub custom certificate access'
  }
}
BICEP
git -C "$repo" add infra
commit "$repo"
verdict bicep-module-approved-in-unchanged-file commits "$status" "$output"

echo "pre-commit: $passed passed, $failed failed"
[[ $failed == 0 ]]
