"""The shop's HTTP API, standard library only.

    GET /healthz               readiness
    GET /items?page=N          one page of products (JSON)
    GET /search?q=WORD         products whose name contains WORD
    GET /stats                 price and stock summary
    GET /etag?page=N           a content hash of one page

Listens on $PERFBOT_PORT (perfbot gives each side its own port locally), default 8080.
"""

from __future__ import annotations

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from shop.catalogue import Catalogue


def make_handler(catalogue: Catalogue) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, so the client measures the handler
        disable_nagle_algorithm = True  # headers and body go out at once, no delayed-ACK stall

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            page = int(query.get("page", ["0"])[0] or 0)
            if url.path == "/healthz":
                self._send(200, "ok")
            elif url.path == "/items":
                self._send(200, catalogue.page(page))
            elif url.path == "/search":
                self._send(200, catalogue.search(query.get("q", [""])[0]))
            elif url.path == "/stats":
                self._send(200, catalogue.stats())
            elif url.path == "/etag":
                self._send(200, {"etag": catalogue.etag(page)})
            else:
                self._send(404, {"error": f"no route {url.path}"})

        def _send(self, status: int, payload: object) -> None:
            body = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # a log line per request would be most of what we measure

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that hung up: fine
            super().handle_error(request, client_address)


def main() -> None:
    port = int(os.environ.get("PERFBOT_PORT", "8080"))
    server = Server(("0.0.0.0", port), make_handler(Catalogue()))  # noqa: S104
    print(f"shop: serving on port {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
