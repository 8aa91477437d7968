"""Argo Workflows on the node: its CRDs, the controller and the Argo Server, and an S3 store.

The controller and the server are the binaries `build.py` compiled from the Argo module that
`tools/argo-validate` pins, run as processes in the node's namespace with the admin's
kubeconfig (as a cluster operator's Deployment would run them with their service account).
The executor is the `argoexec` image, so the init and wait containers in every workflow pod
are Argo's own. The server runs with `--auth-mode client`: every API call carries a
Kubernetes token and is authorised by RBAC, so the bot's Role is what decides what it may do.

Artifacts and archived logs go to an S3 server on the node: moto's server (from PyPI), since
no S3 or MinIO image can be pulled here; Argo speaks S3 to it exactly as to MinIO.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.cluster import build, images
from tests.cluster.node import NODE_IP, Node, port_open, start_forwarder

ARGO_NAMESPACE = "argo"
ARGO_PORT = 2746
EXECUTOR = json.dumps(
    {
        "resources": {
            "requests": {"cpu": "200m", "memory": "512Mi"},
            "limits": {"cpu": "200m", "memory": "512Mi"},
        }
    }
)
S3_PORT = 9000
S3_BUCKET = "perfbot-artifacts"
S3_SECRET = "perfbot-s3"


def argo_source() -> Path:
    version = build.versions()["argo"]["version"]
    listing = subprocess.run(
        ["go", "mod", "download", "-json", f"{build.ARGO_MODULE}@{version}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=build.HERE,
    )
    return Path(json.loads(listing.stdout)["Dir"])


def host_argo_port() -> int:
    return int(os.environ.get("PERFBOT_CLUSTER_ARGO_PORT", "12746"))


def install_crds(node: Node) -> None:
    crds = argo_source() / "manifests" / "base" / "crds" / "minimal"
    for path in sorted(crds.glob("argoproj.io_*.yaml")):
        node.kubectl("apply", "--server-side", "--force-conflicts", "-f", str(path))

    def established() -> bool:
        query = '{.status.conditions[?(@.type=="Established")].status}'
        for crd in ("workflows.argoproj.io", "workflowtemplates.argoproj.io"):
            result = node.kubectl("get", "crd", crd, "-o", f"jsonpath={query}", check=False)
            if result.stdout.strip() != "True":
                return False
        return True

    node.wait_for("Argo's CRDs to be served", established, 60)


def start_s3(node: Node) -> None:
    """moto's S3 server on the node IP, with the bucket Argo's artifact repository names."""
    moto = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(moto).exists():
        raise FileNotFoundError("moto_server is not installed: install perfbot's [test] extra")
    node.start("s3", [moto, "-H", NODE_IP, "-p", str(S3_PORT)])
    node.wait_for("the S3 server", lambda: port_open(NODE_IP, S3_PORT, netns=True), 60, "s3")
    node.run(
        node.netns(
            "python3",
            "-c",
            (
                "import urllib.request as u;"
                f"u.urlopen(u.Request('http://{NODE_IP}:{S3_PORT}/{S3_BUCKET}', method='PUT'))"
            ),
        )
    )


def start_argo(node: Node) -> None:
    """The controller and the Argo Server, with the executor image built here."""
    node.kubectl("create", "namespace", ARGO_NAMESPACE)
    # Argo's init and wait containers with requests equal to limits, so that a pod whose own
    # containers ask for resources is Guaranteed as a whole (docs/operations.md). 128Mi, as
    # the docs once advised, got the init container OOM-killed fetching a step's artifacts.
    node.kubectl(
        "-n",
        ARGO_NAMESPACE,
        "create",
        "configmap",
        "workflow-controller-configmap",
        f"--from-literal=executor={EXECUTOR}",
    )
    # One controller: no leader election (it would also want the identity a pod name gives).
    env = {
        "KUBECONFIG": str(node.kubeconfig),
        "LEADER_ELECTION_DISABLE": "true",
        "LEADER_ELECTION_IDENTITY": "perfbot-node",
    }
    folder = images.argo_bin()
    node.start(
        "workflow-controller",
        [
            str(folder / "workflow-controller"),
            "--namespace",
            ARGO_NAMESPACE,
            "--executor-image",
            images.ARGOEXEC,
            "--executor-image-pull-policy",
            "IfNotPresent",
            "--workflow-workers",
            "4",
            "--pod-cleanup-workers",
            "2",
        ],
        env=env,
    )
    node.start(
        "argo-server",
        [
            str(folder / "argo"),
            "server",
            "--namespace",
            ARGO_NAMESPACE,
            "--secure=false",
            "--auth-mode",
            "client",
            "--port",
            str(ARGO_PORT),
        ],
        env=env,
    )
    start_forwarder(node, [f"{host_argo_port()}:{NODE_IP}:{ARGO_PORT}"], "forward-argo")

    def serving() -> bool:
        # With --auth-mode client every API call needs a token: a 401 means it is serving.
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{host_argo_port()}/api/v1/version", timeout=5)
        except urllib.error.HTTPError as error:
            return error.code == 401
        return True

    node.wait_for("the Argo Server", serving, 120, "argo-server")


def argo_version(node: Node) -> dict:
    with urllib.request.urlopen(
        f"http://127.0.0.1:{host_argo_port()}/api/v1/version", timeout=10
    ) as response:
        return json.loads(response.read())
