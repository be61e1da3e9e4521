#!/usr/bin/env python3
"""Benchmark of the language server's latency: the largest template of the shared corpus
(about 3 MB) open in a workspace of its own, 40 rapid edits (each a burst of three keystrokes
10 ms apart), and the time from the last keystroke of a burst to the diagnostics of that
version. Prints p50/p95 with and without the debounce.

Usage: scripts/bench-lsp.py PATH, after `cargo build --release`. PATH is a template, or a
folder (the corpus) whose largest template above 2 MB is used.
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
BIN = os.path.join(ROOT, "target", "release", "wps-lint")
DEBOUNCE_MS = 75
EDITS = 40


def largest_template(corpus):
    out = subprocess.run(["find", corpus, "-name", "*.json", "-size", "+2M"],
                         capture_output=True, text=True, check=True).stdout.split()
    if not out:
        sys.exit(f"no template above 2 MB under {corpus}")
    return max(out, key=os.path.getsize)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source = sys.argv[1]
    if os.path.isdir(source):
        source = largest_template(source)
    ws = tempfile.mkdtemp()
    path = os.path.join(ws, "main.json")
    shutil.copy(source, path)
    text = open(path, encoding="utf-8").read()
    uri = "file://" + path
    server = subprocess.Popen([BIN, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    published = queue.Queue()

    def send(message):
        body = json.dumps(message).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def read():
        while True:
            header = server.stdout.readline()
            if not header:
                return
            if header.lower().startswith(b"content-length"):
                length = int(header.split(b":")[1])
                server.stdout.readline()
                message = json.loads(server.stdout.read(length))
                if message.get("method") == "textDocument/publishDiagnostics":
                    published.put((time.perf_counter(), message["params"].get("version")))
                elif "method" in message and "id" in message:
                    send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    threading.Thread(target=read, daemon=True).start()
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": None, "capabilities": {},
        "workspaceFolders": [{"uri": "file://" + ws, "name": "bench"}]}})
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "json", "version": 1, "text": text}}})

    def wait_for(version):
        while True:
            at, v = published.get(timeout=60)
            if v == version:
                return at

    wait_for(1)
    version = 1
    latencies = []
    for _ in range(EDITS):
        for _ in range(3):
            version += 1
            # A space after the opening brace: the JSON stays valid and the findings the same.
            send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": 0, "character": 1},
                                              "end": {"line": 0, "character": 1}}, "text": " "}]}})
            last = time.perf_counter()
            time.sleep(0.01)
        latencies.append((wait_for(version) - last) * 1000)
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    send({"jsonrpc": "2.0", "method": "exit"})
    server.wait(timeout=10)
    shutil.rmtree(ws)

    def pct(values, p):
        values = sorted(values)
        return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

    net = [l - DEBOUNCE_MS for l in latencies]
    size = os.path.getsize(source) / 1e6
    print(f"{os.path.basename(os.path.dirname(source))}/{os.path.basename(source)} ({size:.1f} MB), {EDITS} bursts of 3 edits, debounce {DEBOUNCE_MS} ms")
    print(f"last keystroke to diagnostics: p50 {pct(latencies, 50):.0f} ms, p95 {pct(latencies, 95):.0f} ms, "
          f"max {max(latencies):.0f} ms, mean {statistics.mean(latencies):.0f} ms")
    print(f"beyond the debounce:           p50 {pct(net, 50):.0f} ms, p95 {pct(net, 95):.0f} ms")


if __name__ == "__main__":
    main()
