#!/usr/bin/env python3
"""Serve the repositories under ROOT over git's smart HTTP protocol on 127.0.0.1 with `git http-backend` (CGI).
Usage: git-http-serve.py ROOT [PORT]   (PORT 0 or absent: a free port). Prints the port, then serves until killed.
Clone with: git clone http://127.0.0.1:PORT/<repo>.git   (python3 stdlib and git only)"""
import http.server, os, subprocess, sys

ROOT = os.path.abspath(sys.argv[1])

class GitHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # every response has a Content-Length, so connections can be kept alive
    def do_GET(self): self.run_backend()
    def do_POST(self): self.run_backend()

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while (size := int(self.rfile.readline().split(b";")[0], 16)):
                body += self.rfile.read(size); self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""): pass  # trailers
            return body
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def run_backend(self):
        path, _, query = self.path.partition("?")
        body = self.read_body()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GIT_PROJECT_ROOT": ROOT, "GIT_HTTP_EXPORT_ALL": "1",
               "REQUEST_METHOD": self.command, "PATH_INFO": path, "QUERY_STRING": query,
               "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body)),
               "REMOTE_ADDR": self.client_address[0], "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),   # gzip request bodies
               "GIT_PROTOCOL": self.headers.get("Git-Protocol", "")}               # protocol v2 clients
        out = subprocess.run(["git", "http-backend"], input=body, env=env, stdout=subprocess.PIPE).stdout
        sep = b"\r\n\r\n" if b"\r\n\r\n" in out else b"\n\n"
        head, _, payload = out.partition(sep)
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status": status = int(value.split()[0])
            elif name: headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers: self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2]) if len(sys.argv) > 2 else 0), GitHandler)
print(server.server_address[1], flush=True)
server.serve_forever()
