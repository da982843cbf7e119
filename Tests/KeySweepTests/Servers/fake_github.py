#!/usr/bin/env python3
"""A GitHub-shaped server on 127.0.0.1 for keysweep's tests: one real HTTP server that serves

  /git/<path>         bare repositories under GIT_ROOT through the real `git http-backend`
                      (smart HTTP); paths under /git/private/ need the token (Basic password or
                      Bearer), everything else is public;
  /git-cut/<path>     the same, but the pack of a clone is cut off half way (an interrupted clone);
  /git-stall/<path>   the same, but the pack stops half way and the connection stays open (a stall);
  /redirect/<port>/<path>  302 to http://127.0.0.1:<port>/<path> (another origin);
  /api/<path>         a REST API answering from ROUTES (a JSON file): {"/users/alice/repos":
                      {"pages": [[...], [...]], "script": ["ratelimit:2", "500"], "auth": true,
                      "next_origin": "http://elsewhere"}}. Pages are served with GitHub's `Link`
                      header; `script` entries are answered first, one per request: "ratelimit:N"
                      (403, X-RateLimit-Remaining 0, reset in N s), "retryafter:N" (429), "500",
                      "401". "endless": true links every page to a next one, forever; "loop": true
                      links every page to page 1; "drip": true sends the body a byte a second.
                      "{base}" in ROUTES is replaced by this server's URL.
                      "tokens": {"TOKEN": {"status": 200, "headers": [["X-OAuth-Scopes", "repo"]],
                      "object": {...}}} answers by the token the request carries (`token TOKEN` or
                      `Bearer TOKEN`), "drip": true too; any other token, or none, gets 401 Bad
                      credentials.

Usage: FAKE_GITHUB_TOKEN=TOKEN fake_github.py GIT_ROOT ROUTES LOG PORT. Listens on 127.0.0.1:PORT. Every
request line, its User-Agent and whether it carried the token is appended to LOG.
"""
import base64, json, os, subprocess, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

GIT_ROOT, ROUTES_FILE, LOG, PORT = sys.argv[1:5]
# From the environment, not argv: the tests look for the token in every process's argv.
TOKEN = os.environ["FAKE_GITHUB_TOKEN"]
lock = threading.Lock()
scripts = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm and delayed
    # ACKs hold each answer ~40 ms (a 1,000-page listing took 46 s).
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def authorized(self):
        header = self.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            return header[7:] == TOKEN
        if header.startswith("Basic "):
            try:
                _, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except Exception:
                return False
            return password == TOKEN
        return False

    def record(self):
        with lock, open(LOG, "a") as log:
            agent = self.headers.get("User-Agent", "").replace(" ", "_")
            log.write(f"{self.command} {self.path} ua={agent} auth={'yes' if self.headers.get('Authorization') else 'no'}\n")

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def handle_any(self):
        self.record()
        path = urlsplit(self.path).path
        if path.startswith(("/git/", "/git-cut/", "/git-stall/")):
            self.git(path)
        elif path.startswith("/api/"):
            self.api()
        elif path.startswith("/redirect/"):
            port, _, rest = path[len("/redirect/"):].partition("/")
            query = urlsplit(self.path).query
            self.send(302, b"", [("Location", f"http://127.0.0.1:{port}/{rest}" + (f"?{query}" if query else ""))])
        else:
            self.send(404, b"not found")

    def git(self, path):
        cut = path.startswith("/git-cut/")
        stall = path.startswith("/git-stall/")
        rest = path[len("/git-cut") if cut else len("/git-stall") if stall else len("/git"):]
        if rest.startswith("/private/") and not self.authorized():
            # An empty body: libgit2 1.5 can leave a 401's body unread on a reused connection.
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send(401, b"", [("WWW-Authenticate", 'Basic realm="git"')])
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        env = dict(os.environ, GIT_PROJECT_ROOT=GIT_ROOT, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=rest,
                   REQUEST_METHOD=self.command, QUERY_STRING=urlsplit(self.path).query,
                   CONTENT_TYPE=self.headers.get("Content-Type", ""), CONTENT_LENGTH=str(len(body)),
                   GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        if self.headers.get("Content-Encoding") == "gzip":
            env["HTTP_CONTENT_ENCODING"] = "gzip"
        out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status, headers = 200, []
        for line in head.split(b"\r\n"):
            name, _, value = line.decode().partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        if (cut or stall) and "git-upload-pack" in rest and self.command == "POST" and len(payload) > 200:
            # Promise the whole pack, send half, hang up.
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            if stall:
                time.sleep(120)
            self.close_connection = True
            return
        self.send(status, payload, headers)

    def api(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        with open(ROUTES_FILE) as f:
            routes = json.loads(f.read().replace("{base}", base))
        split = urlsplit(self.path)
        path = split.path[len("/api"):]
        route = routes.get(path)
        if route is None:
            self.send(404, json.dumps({"message": "Not Found"}).encode(), [("Content-Type", "application/json")])
            return
        if "tokens" in route:
            scheme, _, token = self.headers.get("Authorization", "").partition(" ")
            answer = route["tokens"].get(token) if scheme in ("token", "Bearer") else None
            if answer is None:
                self.send(401, json.dumps({"message": "Bad credentials"}).encode(), [("Content-Type", "application/json")])
                return
            headers = [("Content-Type", "application/json")] + [tuple(h) for h in answer.get("headers", [])]
            body = json.dumps(answer.get("object", {})).encode()
            if answer.get("drip"):
                self.drip(answer.get("status", 200), body, headers)
            else:
                self.send(answer.get("status", 200), body, headers)
            return
        if route.get("auth") and not self.authorized():
            self.send(401, json.dumps({"message": "Bad credentials"}).encode())
            return
        with lock:
            queue = scripts.setdefault(path, list(route.get("script", [])))
            step = queue.pop(0) if queue else None
        if step:
            kind, _, arg = step.partition(":")
            if kind == "ratelimit":
                reset = int(time.time()) + int(arg)
                self.send(403, json.dumps({"message": "API rate limit exceeded"}).encode(),
                          [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", str(reset))])
                return
            if kind == "retryafter":
                self.send(429, b"{}", [("Retry-After", arg)])
                return
            if kind in ("500", "401", "403", "502"):
                self.send(int(kind), json.dumps({"message": "scripted"}).encode())
                return
        if "object" in route:
            self.send(200, json.dumps(route["object"]).encode(), [("Content-Type", "application/json")])
            return
        pages = route.get("pages", [[]])
        page = int(parse_qs(split.query).get("page", ["1"])[0])
        headers = [("Content-Type", "application/json")]
        if page < len(pages) or route.get("endless") or route.get("loop"):
            origin = route.get("next_origin", base)
            query = "&".join(p for p in split.query.split("&") if p and not p.startswith("page="))
            following = 1 if route.get("loop") else page + 1
            headers.append(("Link", f'<{origin}/api{path}?{query}&page={following}>; rel="next"'))
        body = json.dumps(pages[min(page, len(pages)) - 1]).encode()
        if route.get("drip"):
            self.drip(200, body, headers)
            return
        self.send(200, body, headers)

    def drip(self, status, body, headers):
        """The head at once, then the body a byte a second."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for byte in body:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(1)


ThreadingHTTPServer.allow_reuse_address = True
server = ThreadingHTTPServer(("127.0.0.1", int(PORT)), Handler)
server.daemon_threads = True
server.serve_forever()
