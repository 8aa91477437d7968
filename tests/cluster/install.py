"""perfbot on the running cluster: its Secrets, volumes and `kubectl apply -k` of the overlay.

What an operator does by hand after `kubectl apply -k` (docs/operations.md), done for the
harness: the Secrets the manifests reference but never create (the callback secret, the
GitHub App's, the artifact store's credentials), and the node's volumes, which a provisioner
would make on a real cluster.
"""

from __future__ import annotations

import base64
import json
import secrets
import subprocess
from pathlib import Path

from tests.cluster import build
from tests.cluster.node import NODE_NAME, Node

OVERLAY = build.HERE / "overlay"
NAMESPACE = "perfbot"
VOLUMES = 16  # each run's workspace claim takes one (Retain): enough for the e2e's runs
S3_ACCESS_KEY = "perfbot"  # moto accepts any; Argo needs some


def secret(name: str, data: dict[str, str], kind: str = "Opaque") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": NAMESPACE},
        "type": kind,
        "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()},
    }


def make_volumes(node: Node, count: int = VOLUMES) -> None:
    items = []
    for index in range(count):
        path = node.root / "volumes" / f"pv{index}"
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o777)  # the steps run as non-root users of their images
        items.append(
            {
                "apiVersion": "v1",
                "kind": "PersistentVolume",
                "metadata": {"name": f"perfbot-local-{index}"},
                "spec": {
                    "capacity": {"storage": "5Gi"},
                    "accessModes": ["ReadWriteOnce", "ReadWriteMany"],
                    "persistentVolumeReclaimPolicy": "Retain",
                    "storageClassName": "perfbot-local",
                    "hostPath": {"path": str(path), "type": "Directory"},
                    "nodeAffinity": {
                        "required": {
                            "nodeSelectorTerms": [
                                {
                                    "matchExpressions": [
                                        {
                                            "key": "kubernetes.io/hostname",
                                            "operator": "In",
                                            "values": [NODE_NAME],
                                        }
                                    ]
                                }
                            ]
                        }
                    },
                },
            }
        )
    node.kubectl(
        "apply", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": items})
    )


def install(
    node: Node, *, callback_secret: str, webhook_secret: str, app_id: str, app_private_key: str
) -> None:
    """Apply the overlay and create the Secrets; wait for the token Secrets to be filled."""
    node.kubectl("apply", "--server-side", "--force-conflicts", "-k", str(OVERLAY), timeout=180)
    objects = [
        secret("perfbot-callback", {"secret": callback_secret}),
        secret(
            "perfbot-github",
            {
                "webhook-secret": webhook_secret,
                "app-id": app_id,
                "private-key.pem": app_private_key,
            },
        ),
        secret("perfbot-s3", {"accesskey": S3_ACCESS_KEY, "secretkey": secrets.token_hex(16)}),
    ]
    node.kubectl(
        "apply", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": objects})
    )
    make_volumes(node)

    def token_filled() -> bool:
        return bool(service_account_token(node, "perfbot-bot-token"))

    node.wait_for("the bot's service-account token", token_filled, 60)


def service_account_token(node: Node, secret_name: str) -> str:
    result = node.kubectl(
        "-n", NAMESPACE, "get", "secret", secret_name, "-o", "jsonpath={.data.token}", check=False
    )
    if result.returncode != 0 or not result.stdout:
        return ""
    return base64.b64decode(result.stdout).decode()


def workflow(node: Node, name: str) -> dict:
    return json.loads(node.kubectl("-n", NAMESPACE, "get", "workflow", name, "-o", "json").stdout)


def pods(node: Node, selector: str) -> list[dict]:
    result = node.kubectl("-n", NAMESPACE, "get", "pods", "-l", selector, "-o", "json")
    return json.loads(result.stdout)["items"]


def render(out: Path = OVERLAY / "templates") -> None:
    """Render the overlay's templates from its perfbot.yaml (`make cluster-render`)."""
    subprocess.run(
        ["perfbot", "render", "--config", str(OVERLAY / "perfbot.yaml"), "--out", str(out)],
        check=True,
    )
