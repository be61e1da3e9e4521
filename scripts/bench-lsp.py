#!/usr/bin/env python3
"""Benchmark of the language server's latency: a large template open in a workspace of its own,
40 rapid edits (each a burst of three keystrokes 10 ms apart), and the time from the last
keystroke of a burst to the diagnostics of that version. Prints p50 and p95.

Usage, after `cargo build --release` (WPS_LINT_BIN names another binary, to compare builds):

  scripts/bench-lsp.py PATH          PATH is a template (JSON, or a .bicep file), or a folder
                                     (the corpus) whose largest JSON template above 2 MB is
                                     used; for a folder it then times a generated JSON template
                                     of about 3 MB (the generated Bicep file's resources as a
                                     JSON template writes them, `dependsOn` by `resourceId()`),
                                     opens the folder as the workspace and reports how long the
                                     index takes and the same edits' latency with every other
                                     template of the workspace in the analysis set.
  scripts/bench-lsp.py --bicep DIR   the largest .bicep file of DIR (the Bicep corpus), then a
                                     generated Bicep file of about 3 MB (a service, a vault, a
                                     link and its approval, repeated), each alone; then the
                                     largest file again with all of DIR as the workspace.

A .bicep file is opened where it is, so that its local modules are read as in an editor, with
an empty folder as the workspace; the edits are never saved.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import queue

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
def release_binary():
    """The release build where cargo puts it (CARGO_TARGET_DIR and cargo's config included)."""
    metadata = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"],
                              cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return os.path.join(json.loads(metadata)["target_directory"], "release", "wps-lint")


BIN = os.environ.get("WPS_LINT_BIN") or release_binary()
EDITS = 40


def largest_template(corpus):
    out = subprocess.run(["find", corpus, "-name", "*.json", "-size", "+2M"],
                         capture_output=True, text=True, check=True).stdout.split()
    if not out:
        sys.exit(f"no template above 2 MB under {corpus}")
    return max(out, key=os.path.getsize)


def largest_bicep(folder):
    out = subprocess.run(["find", folder, "-name", "*.bicep"],
                         capture_output=True, text=True, check=True).stdout.split()
    if not out:
        sys.exit(f"no .bicep file under {folder}")
    return max(out, key=os.path.getsize)


BICEP_UNIT = """resource kv{i} 'Microsoft.KeyVault/vaults@2023-07-01' = {{
  name: 'kv-contoso-{i}'
  location: location
  properties: {{
    tenantId: subscription().tenantId
    sku: {{
      family: 'A'
      name: 'standard'
    }}
    enableRbacAuthorization: true
    publicNetworkAccess: 'Disabled'
  }}
}}

resource wps{i} 'Microsoft.SignalRService/webPubSub@2024-03-01' = {{
  name: 'wps-contoso-{i}'
  location: location
  sku: {{
    name: 'Premium_P1'
    tier: 'Premium'
    capacity: 1
  }}
  identity: {{
    type: 'SystemAssigned'
  }}
  properties: {{}}

  resource link 'sharedPrivateLinkResources' = {{
    name: 'kv-link'
    properties: {{
      groupId: 'vault'
      privateLinkResourceId: kv{i}.id
      requestMessage: 'Web PubSub custom certificate access'
    }}
  }}
}}

resource approval{i} 'Microsoft.KeyVault/vaults/privateEndpointConnections@2023-07-01' = {{
  parent: kv{i}
  name: 'wps-link-approval'
  properties: {{
    privateLinkServiceConnectionState: {{
      status: 'Approved'
      description: 'Approved for Web PubSub'
    }}
  }}
  dependsOn: [
    wps{i}::link
  ]
}}

"""


def json_unit(i):
    """The same unit as a JSON template writes it: child resources by their full names,
    `dependsOn` and the link's target by `resourceId()`."""
    vault, service = f"kv-contoso-{i}", f"wps-contoso-{i}"
    vault_id = f"[resourceId('Microsoft.KeyVault/vaults', '{vault}')]"
    return [
        {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": vault,
         "location": "[parameters('location')]",
         "properties": {"tenantId": "[subscription().tenantId]",
                        "sku": {"family": "A", "name": "standard"},
                        "enableRbacAuthorization": True, "publicNetworkAccess": "Disabled"}},
        {"type": "Microsoft.SignalRService/webPubSub", "apiVersion": "2024-03-01", "name": service,
         "location": "[parameters('location')]",
         "sku": {"name": "Premium_P1", "tier": "Premium", "capacity": 1},
         "identity": {"type": "SystemAssigned"}, "properties": {}},
        {"type": "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources",
         "apiVersion": "2024-03-01", "name": f"{service}/kv-link",
         "dependsOn": [f"[resourceId('Microsoft.SignalRService/webPubSub', '{service}')]", vault_id],
         "properties": {"groupId": "vault", "privateLinkResourceId": vault_id,
                        "requestMessage": "Web PubSub custom certificate access"}},
        {"type": "Microsoft.KeyVault/vaults/privateEndpointConnections", "apiVersion": "2023-07-01",
         "name": f"{vault}/wps-link-approval",
         "dependsOn": [f"[resourceId('Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources', "
                       f"'{service}', 'kv-link')]"],
         "properties": {"privateLinkServiceConnectionState": {
             "status": "Approved", "description": "Approved for Web PubSub"}}},
    ]


def generated_json(path, size=3_000_000):
    """A JSON template of about `size` bytes: one location parameter and the unit repeated."""
    resources, written, i = [], 0, 0
    while written < size:
        unit = json_unit(i)
        written += len(json.dumps(unit, indent=2))
        resources.extend(unit)
        i += 1
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
        "resources": resources,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(template, f, indent=2)
    return path


def generated_bicep(path, size=3_000_000):
    """A Bicep file of about `size` bytes: one location parameter and the unit repeated."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("param location string = resourceGroup().location\n\n")
        i = 0
        while f.tell() < size:
            f.write(BICEP_UNIT.format(i=i))
            i += 1
    return path


class Server:
    """`wps-lint lsp` on a workspace folder, with the time of every publication by version."""

    def __init__(self, folder):
        self.process = subprocess.Popen([BIN, "lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.published = queue.Queue()
        self.initialized = threading.Event()
        threading.Thread(target=self.read, daemon=True).start()
        self.started = time.perf_counter()
        self.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": None, "capabilities": {},
            "workspaceFolders": [{"uri": "file://" + folder, "name": "bench"}]}})
        # As clients do: `initialized` only once the server has answered.
        self.initialized.wait(timeout=30)
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def read(self):
        out = self.process.stdout
        while True:
            header = out.readline()
            if not header:
                return
            if header.lower().startswith(b"content-length"):
                length = int(header.split(b":")[1])
                out.readline()
                message = json.loads(out.read(length))
                if message.get("id") == 1 and "method" not in message:
                    self.initialized.set()
                elif message.get("method") == "textDocument/publishDiagnostics":
                    self.published.put((time.perf_counter(), message["params"].get("version")))
                elif "method" in message and "id" in message:
                    self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def open(self, path):
        uri = "file://" + path
        text = open(path, encoding="utf-8").read()
        language = "bicep" if path.endswith(".bicep") else "json"
        self.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": language, "version": 1, "text": text}}})
        return uri

    def wait_for(self, version, timeout=120):
        while True:
            at, v = self.published.get(timeout=timeout)
            if v == version:
                return at

    def latencies(self, uri):
        """40 bursts of three keystrokes 10 ms apart; ms from each burst's last to its diagnostics."""
        # A space after a JSON file's opening brace, before a Bicep file's first statement:
        # the text stays valid and the findings the same.
        at = 0 if uri.endswith(".bicep") else 1
        version, out = 1, []
        for _ in range(EDITS):
            for _ in range(3):
                version += 1
                self.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": {"line": 0, "character": at},
                                                  "end": {"line": 0, "character": at}}, "text": " "}]}})
                last = time.perf_counter()
                time.sleep(0.01)
            out.append((self.wait_for(version) - last) * 1000)
        return out

    def stop(self):
        self.send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        self.send({"jsonrpc": "2.0", "method": "exit"})
        self.process.wait(timeout=10)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(what, latencies):
    print(f"{what}: {EDITS} bursts of 3 edits")
    print(f"  last keystroke to diagnostics: p50 {pct(latencies, 50):.0f} ms, p95 {pct(latencies, 95):.0f} ms, "
          f"max {max(latencies):.0f} ms, mean {statistics.mean(latencies):.0f} ms")


def alone(source, copy=True):
    """The edits' latency on one template alone in a workspace: a copy of a JSON template, a
    Bicep file where it is (its modules beside it) with an empty workspace."""
    ws = tempfile.mkdtemp()
    path = os.path.join(ws, "main.json") if copy else os.path.abspath(source)
    if copy:
        shutil.copy(source, path)
    server = Server(ws)
    uri = server.open(path)
    server.wait_for(1)
    size = os.path.getsize(source) / 1e6
    report(f"{os.path.basename(os.path.dirname(source))}/{os.path.basename(source)} ({size:.1f} MB) alone",
           server.latencies(uri))
    server.stop()
    shutil.rmtree(ws)


def in_workspace(folder, source):
    """The edits' latency on `source` with all of `folder` as the workspace, after the index."""
    server = Server(os.path.abspath(folder))
    first = os.path.join(os.path.abspath(folder), os.path.relpath(source, folder))
    uri = server.open(first)
    at_once = server.wait_for(1)
    try:
        indexed = server.wait_for(1, timeout=30)
        print(f"workspace: first diagnostics {1000 * (at_once - server.started):.0f} ms after "
              f"initialize, again with the whole workspace indexed after "
              f"{1000 * (indexed - server.started):.0f} ms")
    except queue.Empty:
        # The scan ended before the first analysis: that one had the whole workspace.
        print(f"workspace: diagnostics with the whole workspace indexed "
              f"{1000 * (at_once - server.started):.0f} ms after initialize")
    report("  the same file in the workspace", server.latencies(uri))
    server.stop()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--bicep":
        largest = largest_bicep(sys.argv[2])
        alone(largest, copy=False)
        scratch = tempfile.mkdtemp()
        alone(generated_bicep(os.path.join(scratch, "generated.bicep")), copy=False)
        shutil.rmtree(scratch)
        in_workspace(sys.argv[2], largest)
        return
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source = sys.argv[1]
    if source.endswith(".bicep"):
        alone(source, copy=False)
        return
    corpus = source if os.path.isdir(source) else None
    if corpus:
        source = largest_template(corpus)
    # The largest template alone in a workspace.
    alone(source)
    if corpus:
        scratch = tempfile.mkdtemp()
        alone(generated_json(os.path.join(scratch, "generated.json")))
        shutil.rmtree(scratch)
        # The whole corpus as the workspace: the index, then edits of one of its templates,
        # with every other template's analysis kept.
        in_workspace(corpus, source)

if __name__ == "__main__":
    main()
