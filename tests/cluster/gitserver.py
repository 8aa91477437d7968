"""A git server on the node, over HTTPS, standing in for GitHub's git hosting (not its API).

The templates check sources out with Argo's git artifact (go-git in Argo's init container)
from the repository's `clone_url`, which perfbot allows only as `https://`. GitHub cannot be
reached here, so this serves the demo's repository with git's own smart-HTTP server
(`git http-backend`, run as CGI per request) behind TLS. Its certificate is signed by a CA
that the harness's `argoexec` image trusts (`images.git_ca`), so nothing in the templates
turns verification off.

Run as `python3 gitserver.py HOST PORT PROJECT_ROOT CERT KEY`.
"""

from __future__ import annotations

import http.server
import os
import ssl
import subprocess
import sys
from urllib.parse import urlsplit


class GitHandler(http.server.BaseHTTPRequestHandler):
    project_root = "."

    def do_GET(self) -> None:
        self.cgi()

    def do_POST(self) -> None:
        self.cgi()

    def cgi(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        env = {
            "GIT_PROJECT_ROOT": self.project_root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": self.client_address[0],
            "HTTP_GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        }
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        result = subprocess.run(
            ["git", "http-backend"], input=body, env=env, capture_output=True, check=False
        )
        head, _, payload = result.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, payload = result.stdout.partition(b"\n\n")
        status = 200
        headers = []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def main(host: str, port: str, root: str, cert: str, key: str) -> None:
    GitHandler.project_root = root
    server = http.server.ThreadingHTTPServer((host, int(port)), GitHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"serving git over https on {host}:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
