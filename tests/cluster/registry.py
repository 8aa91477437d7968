"""The node's image registry: where the in-cluster builds push and the kubelet pulls.

CNCF Distribution's `registry` (built by `build.py` from its Go module) serves plain HTTP on the
node's address, storing under the cluster's folder, so `down` removes what the runs pushed.
Three clients are told it speaks HTTP, each in its own way:

- containerd (the kubelet's pulls): a `hosts.toml` under the `config_path` of `node.py`'s
  containerd configuration;
- buildah in the build pods: the builder image's `registries.conf` drop-in (`images.py`);
- crane (the `check` step, and the harness's pushes): it speaks HTTP to private (RFC 1918)
  addresses such as the node's by itself; the harness also passes `--insecure`.

The builds' base image (`images.PYTHON`) is pushed here at bring-up, as `BASE`, since a build
pod can pull only from this registry.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cluster.node import NODE_IP, Node, port_open

PORT = 5000
ADDRESS = f"{NODE_IP}:{PORT}"
BASE = f"{ADDRESS}/perfbot-python:cluster"


def config(node: Node) -> dict:
    return {
        "version": 0.1,
        "log": {"level": "warn"},
        "storage": {
            "filesystem": {"rootdirectory": str(node.root / "registry" / "data")},
            "delete": {"enabled": True},  # the tests remove an image to see a rerun refuse
        },
        "http": {"addr": ADDRESS},
    }


def hosts_toml() -> str:
    return (
        f'server = "http://{ADDRESS}"\n\n'
        f'[host."http://{ADDRESS}"]\n  capabilities = ["pull", "resolve"]\n'
    )


def start(node: Node) -> None:
    folder = node.root / "registry"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.yml"
    path.write_text(json.dumps(config(node), indent=1))  # YAML is a superset of JSON
    hosts = node.root / "containerd" / "certs.d" / ADDRESS
    hosts.mkdir(parents=True, exist_ok=True)
    (hosts / "hosts.toml").write_text(hosts_toml())
    node.start("registry", [node.binary("registry"), "serve", str(path)])
    node.wait_for("the registry", lambda: port_open(NODE_IP, PORT, netns=True), 60, "registry")


def crane(node: Node, *args: str, check: bool = True, timeout: float = 600):
    return node.run([node.binary("crane"), "--insecure", *args], check=check, timeout=timeout)


def push(node: Node, archive: Path, ref: str) -> None:
    """An image archive (`docker-archive` format, as `images.save` writes) pushed as `ref`."""
    crane(node, "push", str(archive), ref)


def exists(node: Node, ref: str) -> bool:
    return crane(node, "manifest", ref, check=False, timeout=60).returncode == 0


def delete(node: Node, ref: str) -> None:
    digest = crane(node, "digest", ref).stdout.strip()
    crane(node, "delete", f"{ref.rsplit(':', 1)[0]}@{digest}")
