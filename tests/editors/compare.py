#!/usr/bin/env python3
"""The editor tests' oracle: what `wps-lint check --format json` says about the fixture
workspace, as the editor would show it, and the verdict on what an editor received.

  compare.py expected BIN WORKSPACE UNIT            -> {"alone.json": ["WPS103:62:80"], ...}
  compare.py verdict  BIN WORKSPACE UNIT RESULTS NAME

UNIT is how the editor counts columns: `utf16` (LSP positions, VS Code) or `chars` (Emacs).
RESULTS is what the editor wrote: {"diagnostics": {file: ["CODE:LINE:COL", ...]},
"fixed": {file: {"before": [codes], "after": [codes]}}} for each file of FIXED.
"""
import json
import os
import subprocess
import sys

FILES = ["alone.json", "app.json", "link.bicep"]
# The files whose WPS103 quick fix the editor applies: a JSON template and a Bicep file.
FIXED = ["alone.json", "link.bicep"]


def cli(binary, paths, *options):
    out = subprocess.run(
        [binary, "check", "--format", "json", "--fail-on", "never", *options, *paths],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)["diagnostics"]


def expected(binary, workspace, unit):
    found = {name: [] for name in FILES}
    for d in cli(binary, [workspace]):
        name = os.path.relpath(d["file"], workspace)
        if name not in found:
            continue
        line, column = d["range"]["start"]["line"], d["range"]["start"]["column"]
        if unit == "utf16":
            with open(os.path.join(workspace, name), encoding="utf-8") as f:
                text = f.read().split("\n")[line - 1]
            column = sum(2 if ord(c) > 0xFFFF else 1 for c in text[: column - 1]) + 1
        found[name].append(f"{d['code']}:{line}:{column}")
    return {name: sorted(v) for name, v in found.items()}


def verdict(binary, workspace, unit, results_path, editor):
    checks = []
    want = expected(binary, workspace, unit)
    try:
        with open(results_path, encoding="utf-8") as f:
            got = json.load(f)
    except (OSError, ValueError) as e:
        got = {"error": f"no results: {e}"}
    received = got.get("diagnostics", {})
    for name in FILES:
        checks.append((f"{name}: diagnostics equal the CLI's {want[name]}",
                       isinstance(received.get(name), list) and sorted(received[name]) == want[name],
                       received.get(name)))
    # The cross-file case means something only if the file alone (without the rest of its
    # folder as context) has a finding.
    alone = [d["code"] for d in cli(binary, [os.path.join(workspace, "app.json")], "--no-context")]
    checks.append(("app.json alone has WPS201 (the approval in vault.json counts)",
                   "WPS201" in alone, alone))
    # The Bicep file's case means something only if it has both findings on its Bicep lines.
    bicep = sorted(k.split(":")[0] for k in want["link.bicep"])
    checks.append(("link.bicep has a wrong group ID and a missing approval (WPS103, WPS201)",
                   bicep == ["WPS103", "WPS201"], want["link.bicep"]))
    for name in FIXED:
        fixed = got.get("fixed", {}).get(name, {})
        checks.append((f"{name}: the quick fix removes WPS103",
                       "WPS103" in fixed.get("before", []) and "WPS103" not in fixed.get("after", ["WPS103"]),
                       fixed))
    failed = 0
    for title, ok, detail in checks:
        print(f"  {'ok' if ok else 'FAILED'}: {title}" + ("" if ok else f" (got {detail})"))
        failed += not ok
    if "error" in got:
        print(f"  editor: {got['error']}")
    print(f"{editor}: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1] == "expected":
        print(json.dumps(expected(*sys.argv[2:5])))
    else:
        sys.exit(verdict(*sys.argv[2:7]))
