"""Expose ports of the node's network namespace on this machine's loopback.

The cluster lives in its own network namespace, so nothing it listens on is reachable from the
host, and nothing on the host is reachable from it. Tests, the argo CLI and kubectl reach the
API server and the Argo Server through this forwarder: it opens its listening sockets on the
host's 127.0.0.1 first, then moves itself into the node's namespace (setns), so every
connection it makes from then on lands inside it. A socket keeps the namespace it was made in,
which is what makes one process able to bridge the two.

Run as `python3 forward.py NETNS_PATH LOCAL_PORT:TARGET_HOST:TARGET_PORT ...` (root).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import socket
import sys
import threading

CLONE_NEWNET = 0x40000000


def enter_namespace(path: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns({path})")
    finally:
        os.close(fd)


def pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (sink, source):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


def serve(listener: socket.socket, target: tuple[str, int]) -> None:
    while True:
        client, _ = listener.accept()
        try:
            upstream = socket.create_connection(target, timeout=10)
            upstream.settimeout(None)
        except OSError:
            client.close()
            continue
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=pipe, args=(a, b), daemon=True).start()


def main(argv: list[str]) -> None:
    namespace, *routes = argv
    listeners = []
    for route in routes:
        local, host, port = route.split(":")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", int(local)))
        listener.listen(64)
        listeners.append((listener, (host, int(port))))
    enter_namespace(namespace)  # before any thread starts: threads inherit the namespace
    threads = [threading.Thread(target=serve, args=item, daemon=True) for item in listeners]
    for thread in threads:
        thread.start()
    print("forwarding", " ".join(routes), flush=True)
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main(sys.argv[1:])
