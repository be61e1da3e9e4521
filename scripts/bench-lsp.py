#!/usr/bin/env python3
"""Benchmark of the language server's latency: the largest template of the shared corpus
(about 3 MB) open in a workspace of its own, 40 rapid edits (each a burst of three keystrokes
10 ms apart), and the time from the last keystroke of a burst to the diagnostics of that
version. Prints p50 and p95.

Usage: scripts/bench-lsp.py PATH, after `cargo build --release` (WPS_LINT_BIN names another
binary, to compare builds). PATH is a template, or a
folder (the corpus) whose largest template above 2 MB is used; for a folder it then opens the
folder as the workspace and reports how long the index takes and the same edits' latency
with every other template of the workspace in the analysis set.
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
        self.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "json", "version": 1, "text": text}}})
        return uri

    def wait_for(self, version, timeout=120):
        while True:
            at, v = self.published.get(timeout=timeout)
            if v == version:
                return at

    def latencies(self, uri):
        """40 bursts of three keystrokes 10 ms apart; ms from each burst's last to its diagnostics."""
        version, out = 1, []
        for _ in range(EDITS):
            for _ in range(3):
                version += 1
                # A space after the opening brace: the JSON stays valid and the findings the same.
                self.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": {"line": 0, "character": 1},
                                                  "end": {"line": 0, "character": 1}}, "text": " "}]}})
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


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source = sys.argv[1]
    corpus = source if os.path.isdir(source) else None
    if corpus:
        source = largest_template(corpus)
    # The largest template alone in a workspace.
    ws = tempfile.mkdtemp()
    path = os.path.join(ws, "main.json")
    shutil.copy(source, path)
    server = Server(ws)
    uri = server.open(path)
    server.wait_for(1)
    size = os.path.getsize(source) / 1e6
    report(f"{os.path.basename(os.path.dirname(source))}/{os.path.basename(source)} ({size:.1f} MB) alone",
           server.latencies(uri))
    server.stop()
    shutil.rmtree(ws)
    if not corpus:
        return
    # The whole corpus as the workspace: the index, then edits of one of its templates, with
    # every other template's analysis kept.
    server = Server(os.path.abspath(corpus))
    first = os.path.join(os.path.abspath(corpus), os.path.relpath(source, corpus))
    uri = server.open(first)
    at_once = server.wait_for(1)
    try:
        indexed = server.wait_for(1, timeout=30)
        print(f"corpus workspace: first diagnostics {1000 * (at_once - server.started):.0f} ms after "
              f"initialize, again with the whole workspace indexed after "
              f"{1000 * (indexed - server.started):.0f} ms")
    except queue.Empty:
        # The scan ended before the first analysis: that one had the whole workspace.
        print(f"corpus workspace: diagnostics with the whole workspace indexed "
              f"{1000 * (at_once - server.started):.0f} ms after initialize")
    report("  the same template in the corpus workspace", server.latencies(uri))
    server.stop()


if __name__ == "__main__":
    main()
