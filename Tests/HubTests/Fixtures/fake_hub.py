"""A loopback server that answers like the Hugging Face hub, for sbpl's download tests.

Serves ROOT/<org>/<name>/<file> at /<org>/<name>/resolve/<revision>/<file>:
- HEAD/GET with X-Repo-Commit and an ETag (the file's git-style sha1);
- *.safetensors as LFS files: HEAD answers 302 to http://localhost:PORT/lfs/<sha256> (another host name than
  127.0.0.1), with X-Linked-Etag (the sha256) and X-Linked-Size; GET there honours Range (206);
- a legacy id without an organisation served from the one organisation that has it, as the hub redirects it;
- 404 + X-Error-Code EntryNotFound for a missing file, 401 + RepoNotFound for a missing repository,
  403 + GatedRepo for org "gated", and 401 for org "private" unless `Authorization: Bearer secret` is sent.
MODE (argument 3), faults of the LFS downloads (GET /lfs/...) unless said otherwise:
- normal;
- truncate: every body stops halfway and the connection closes;
- drop_once: the first body stops halfway and the connection closes, later ones are whole;
- stall: every body sends half of what is asked, then nothing for 30 s;
- slow: every body comes 10 kB at a time, 0.1 s apart;
- ignore_range: GET answers 200 with the whole file whatever Range asks;
- bad_commit: X-Repo-Commit names a path, not a commit;
- corrupt: one byte flipped in every body (regular files too), the ETag kept;
- wrong_length: Content-Length (and the body) 100 bytes longer than X-Linked-Size said;
- redirect_loop: GET answers 302 to itself, forever;
- cross_host: HEAD of an LFS file answers 200 with its metadata (no Location), so the GET goes to the endpoint's
  host, 127.0.0.1, with the token, and is redirected to localhost;
- fail:STATUS:TIMES[:RETRY_AFTER]: the first TIMES requests of each method (HEAD, GET), any path, answer STATUS,
  with a Retry-After header when given.
Every request line, its Host, Range, Authorization and User-Agent headers are appended to ROOT/requests.log.
Usage: python3 fake_hub.py ROOT PORT_FILE [MODE]
"""
import hashlib
import http.server
import os
import sys
import threading
import time
import urllib.parse

ROOT, PORT_FILE = sys.argv[1], sys.argv[2]
MODE = sys.argv[3] if len(sys.argv) > 3 else "normal"
COMMIT = "../../../../tmp/evil" if MODE == "bad_commit" else "714eb0fa89d2f80546fda750413ed43d93601a13"
SEEN = {}  # requests so far, by kind
SEEN_LOCK = threading.Lock()


def count(kind):
    """How many requests of `kind` came before this one."""
    with SEEN_LOCK:
        SEEN[kind] = SEEN.get(kind, 0) + 1
        return SEEN[kind] - 1


class Hub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self):
        with open(os.path.join(ROOT, "requests.log"), "a") as log:
            log.write(f"{self.command} {self.path} host={self.headers.get('Host')} range={self.headers.get('Range')} "
                      f"auth={self.headers.get('Authorization')} agent={self.headers.get('User-Agent')}\n")

    def answer(self, status, headers, body=b"", send_body=True):
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def do_HEAD(self):
        self.handle_request(send_body=False)

    def do_GET(self):
        self.handle_request(send_body=True)

    def handle_request(self, send_body):
        self.record()
        if MODE.startswith("fail:"):
            _, status, times, *retry_after = MODE.split(":")
            if count(self.command) < int(times):
                headers = {"Retry-After": retry_after[0]} if retry_after else {}
                return self.answer(int(status), headers, b"busy", send_body)
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.split("/")
        if parts[1] == "lfs":
            return self.serve_lfs(url, send_body)
        if len(parts) >= 5 and parts[2] == "resolve":
            # a legacy id without an organisation (distilbert-base-uncased-...): the hub serves its canonical repo
            owners = [o for o in sorted(os.listdir(ROOT)) if os.path.isdir(os.path.join(ROOT, o, parts[1]))]
            if owners:
                parts = [parts[0], owners[0]] + parts[1:]
        if len(parts) < 6 or parts[3] != "resolve":
            return self.answer(404, {"X-Error-Code": "EntryNotFound"})
        org, name, file = parts[1], parts[2], "/".join(parts[5:])
        repo = os.path.join(ROOT, org, name)
        if org == "gated":
            return self.answer(403, {"X-Error-Code": "GatedRepo"}, b"gated", send_body)
        if org == "private" and self.headers.get("Authorization") != "Bearer secret":
            return self.answer(401, {"X-Error-Code": "RepoNotFound"}, b"not found", send_body)
        if not os.path.isdir(repo):
            return self.answer(401, {"X-Error-Code": "RepoNotFound"}, b"not found", send_body)
        path = os.path.join(repo, file)
        if not os.path.isfile(path):
            return self.answer(404, {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": COMMIT}, b"", send_body)
        data = open(path, "rb").read()
        if file.endswith(".safetensors"):
            sha = hashlib.sha256(data).hexdigest()
            linked = {"X-Repo-Commit": COMMIT, "X-Linked-Etag": f'"{sha}"', "X-Linked-Size": str(len(data))}
            if MODE == "cross_host" and not send_body:
                return self.answer(200, linked, b"", send_body)
            port = self.server.server_address[1]
            location = {"Location": f"http://localhost:{port}/lfs/{sha}?path={org}/{name}/{file}"}
            return self.answer(302, location | linked, b"", send_body)
        etag = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        if MODE == "corrupt":
            data = data[:-1] + bytes([data[-1] ^ 1])
        return self.answer(200, {"ETag": f'"{etag}"', "X-Repo-Commit": COMMIT}, data, send_body)

    def serve_lfs(self, url, send_body):
        if send_body and MODE == "redirect_loop":
            return self.answer(302, {"Location": f"http://localhost:{self.server.server_address[1]}{self.path}"})
        data = open(os.path.join(ROOT, urllib.parse.parse_qs(url.query)["path"][0]), "rb").read()
        if MODE == "corrupt":
            data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
        start = 0
        if self.headers.get("Range", "").startswith("bytes=") and MODE != "ignore_range":
            start = int(self.headers["Range"][6:].split("-")[0])
        body = data[start:] + (bytes(100) if MODE == "wrong_length" else b"")
        headers = {"Content-Length": str(len(body))}
        if start:
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        if MODE == "slow" and send_body:
            self.send_response(206 if start else 200)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            for piece in range(0, len(body), 10000):
                self.wfile.write(body[piece:piece + 10000])
                self.wfile.flush()
                time.sleep(0.1)
            return
        cut = MODE in ("truncate", "stall") or (MODE == "drop_once" and count("body") == 0)
        if cut and send_body:
            self.send_response(206 if start else 200)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            if MODE == "stall":
                time.sleep(30)
            self.close_connection = True
            return
        self.answer(206 if start else 200, headers, body, send_body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
with open(PORT_FILE, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
