"""A real one-node Kubernetes cluster in its own network namespace, up and down by PID.

The node is this machine: containerd (Debian's package, started here with its own root, state
and socket under the cluster's folder), etcd and the Kubernetes components built by
`build.py`, each a plain process inside the network namespace `perfbot-node`. Pods sit on a
CNI bridge in that namespace; kube-proxy programs iptables there, not on the host. The API
server and the Argo Server are exposed on the host's loopback by `forward.py`.

Invariants:
- every process this starts is recorded in `<dir>/pids/`; `down()` ends them by PID (the
  process group), so nothing is left running, whatever failed in between;
- every host path Kubernetes insists on writing outside its folder (HOST_PATHS) and every
  cgroup the kubelet made are removed by `down()`; the cluster's folder goes with them;
- `up()` is idempotent in one direction only: it refuses to start over a running cluster
  rather than guessing; `down()` is always safe to call.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.cluster import pki

NETNS = "perfbot-node"
NODE_NAME = "perfbot-node"
NODE_IP = "10.213.0.2"
PEER_IP = "10.213.0.1"
POD_CIDR = "10.214.0.0/24"
SERVICE_CIDR = "10.215.0.0/24"
API_SERVICE_IP = "10.215.0.1"
API_PORT = 6443
HOST_LINK = "pbnode1"  # the host's end of the veth pair
HERE = Path(__file__).resolve().parent

# Paths the kubelet, the CNI plugins and containerd's shim write whatever their flags say.
HOST_PATHS = (
    "/var/lib/kubelet",
    "/var/log/containers",
    "/var/log/pods",
    "/var/lib/cni",
    "/run/containerd",
    "/run/netns/cni-",  # prefix: the CNI's per-pod network namespaces
)
CGROUP_ROOT = Path("/sys/fs/cgroup")
SCRATCH_SIZE = "16g"  # the tmpfs's ceiling; a session writes 4-6 GB


def default_dir() -> Path:
    return Path(
        os.environ.get("PERFBOT_CLUSTER_DIR") or Path(tempfile.gettempdir()) / "perfbot-cluster"
    )


class ClusterError(Exception):
    """The cluster could not be brought up; the message says which part and its log's tail."""


@dataclass
class Node:
    """Where one cluster keeps its state, and how to run things inside its namespace."""

    root: Path = field(default_factory=default_dir)
    bins: dict[str, Path] = field(default_factory=dict)

    # --- paths ------------------------------------------------------------------------------
    @property
    def pki(self) -> Path:
        return self.root / "pki"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def pids(self) -> Path:
        return self.root / "pids"

    @property
    def kubeconfig(self) -> Path:
        """The admin kubeconfig for use inside the namespace (the API server at the node IP)."""
        return self.root / "admin.kubeconfig"

    @property
    def host_kubeconfig(self) -> Path:
        """The admin kubeconfig for use on the host (the API server through the forwarder)."""
        return self.root / "host.kubeconfig"

    @property
    def containerd_socket(self) -> Path:
        return self.root / "containerd" / "containerd.sock"

    def binary(self, name: str) -> str:
        for folder in self.bins.values():
            if (folder / name).is_file():
                return str(folder / name)
        raise ClusterError(f"no built binary {name}; run the build first")

    # --- processes --------------------------------------------------------------------------
    def netns(self, *argv: str) -> list[str]:
        # nsenter, not `ip netns exec`: that one also remounts /sys for the namespace, which
        # hides the cgroup mounts under /sys/fs/cgroup from the kubelet and runc.
        return ["nsenter", f"--net=/run/netns/{NETNS}", "--", *argv]

    def start(self, name: str, argv: list[str], *, env: dict | None = None) -> int:
        """Start a long-running process in the namespace, in its own process group."""
        self.logs.mkdir(parents=True, exist_ok=True)
        self.pids.mkdir(parents=True, exist_ok=True)
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            self.netns(*argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
        (self.pids / name).write_text(str(process.pid))
        return process.pid

    def alive(self, name: str) -> bool:
        try:
            pid = int((self.pids / name).read_text())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return False
        return True

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.logs / f"{name}.log"
        if not path.is_file():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def run(self, argv: list[str], *, check: bool = True, timeout: float = 120, **kwargs):
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kwargs)
        if check and result.returncode != 0:
            raise ClusterError(f"{' '.join(argv[:6])} failed: {result.stderr or result.stdout}")
        return result

    def kubectl(
        self, *args: str, check: bool = True, timeout: float = 120, input: str | None = None
    ):
        argv = [self.binary("kubectl"), f"--kubeconfig={self.host_kubeconfig}", *args]
        return self.run(argv, check=check, timeout=timeout, input=input)

    def wait_for(self, what: str, test, timeout: float, process: str | None = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process and not self.alive(process):
                raise ClusterError(
                    f"{process} exited while waiting for {what}:\n{self.log_tail(process)}"
                )
            try:
                if test():
                    return
            except (OSError, subprocess.SubprocessError, ClusterError):
                pass
            time.sleep(0.5)
        tail = self.log_tail(process) if process else ""
        raise ClusterError(f"timed out after {timeout:.0f} s waiting for {what}\n{tail}")


def port_open(host: str, port: int, netns: bool = False) -> bool:
    if not netns:
        with socket.socket() as probe:
            probe.settimeout(1)
            return probe.connect_ex((host, port)) == 0
    result = subprocess.run(
        [
            "nsenter",
            f"--net=/run/netns/{NETNS}",
            "--",
            "bash",
            "-c",
            f"echo > /dev/tcp/{host}/{port}",
        ],
        capture_output=True,
        timeout=10,
    )
    return result.returncode == 0


def say(line: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


# --- network ----------------------------------------------------------------------------------
def make_network(node: Node) -> None:
    """The namespace and a veth pair into it (this VM has no dummy interface module).

    The node's end carries NODE_IP; the host's end carries PEER_IP, so the host reaches the
    node's servers at NODE_IP and the pods reach servers the tests run on the host (the bot,
    the GitHub stand-in) at PEER_IP. Both addresses exist only on this pair.
    """
    node.run(["ip", "netns", "add", NETNS])
    inside = node.netns
    node.run(inside("ip", "link", "set", "lo", "up"))
    node.run(["ip", "link", "add", HOST_LINK, "type", "veth", "peer", "name", "pbnode0"])
    node.run(["ip", "link", "set", "pbnode0", "netns", NETNS])
    node.run(["ip", "addr", "add", f"{PEER_IP}/24", "dev", HOST_LINK])
    node.run(["ip", "link", "set", HOST_LINK, "up"])
    node.run(inside("ip", "addr", "add", f"{NODE_IP}/24", "dev", "pbnode0"))
    node.run(inside("ip", "link", "set", "pbnode0", "up"))
    node.run(inside("ip", "route", "add", "default", "via", PEER_IP, "dev", "pbnode0"))
    node.run(inside("sysctl", "-qw", "net.ipv4.ip_forward=1"))
    for key in ("net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables"):
        node.run(inside("sysctl", "-qw", f"{key}=1"), check=False)


# --- certificates -----------------------------------------------------------------------------
def make_certificates(node: Node) -> None:
    """A CA, the API server's serving certificate, one admin client, the service-account keys.

    Every component authenticates as the admin (system:masters): this is a throwaway test node,
    and one identity keeps the harness small. The bot and the workflows use their own service
    accounts and RBAC from perfbot's manifests, which is what the tests check.
    """
    ca = pki.make_ca(node.pki, "ca", days=30)
    names = ["kubernetes", "kubernetes.default", "kubernetes.default.svc",
             "kubernetes.default.svc.cluster.local", "localhost", NODE_NAME]  # fmt: skip
    ips = ["127.0.0.1", NODE_IP, API_SERVICE_IP]
    san = ",".join([*(f"DNS:{n}" for n in names), *(f"IP:{i}" for i in ips)])
    pki.sign(node.pki, ca, "apiserver", "/CN=kube-apiserver",
             f"subjectAltName={san}\nextendedKeyUsage=serverAuth\n", days=30)  # fmt: skip
    pki.sign(node.pki, ca, "admin", "/O=system:masters/CN=perfbot-admin",
             "extendedKeyUsage=clientAuth\n", days=30)  # fmt: skip
    pki.openssl(node.pki, "genrsa", "-out", "sa.key", "2048")
    pki.openssl(node.pki, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub")
    write_kubeconfig(node, node.kubeconfig, f"https://{NODE_IP}:{API_PORT}")


def write_kubeconfig(node: Node, path: Path, server: str) -> None:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": "perfbot",
                "cluster": {"server": server, "certificate-authority": str(node.pki / "ca.crt")},
            }
        ],
        "users": [
            {
                "name": "admin",
                "user": {
                    "client-certificate": str(node.pki / "admin.crt"),
                    "client-key": str(node.pki / "admin.key"),
                },
            }
        ],
        "contexts": [{"name": "perfbot", "context": {"cluster": "perfbot", "user": "admin"}}],
        "current-context": "perfbot",
    }
    path.write_text(json.dumps(config, indent=1))


# --- containerd -------------------------------------------------------------------------------
CONTAINERD_CONFIG = """\
version = 2
root = "{root}/containerd/root"
state = "{root}/containerd/state"
[grpc]
  address = "{socket}"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "{pause}"
  # The VM withholds CAP_SYS_RESOURCE: without this every sandbox fails with
  # "can't get final child's PID from pipe".
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "{root}/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "{root}/containerd/certs.d"
"""

CNI_CONFIG = {
    "cniVersion": "1.0.0",
    "name": "perfbot",
    "plugins": [
        {
            "type": "bridge",
            "bridge": "pbcni0",
            "isGateway": True,
            "ipMasq": True,
            "hairpinMode": True,
            "ipam": {
                "type": "host-local",
                "ranges": [[{"subnet": POD_CIDR}]],
                "routes": [{"dst": "0.0.0.0/0"}],
            },
        },
        {"type": "portmap", "capabilities": {"portMappings": True}},
    ],
}


def start_containerd(node: Node, pause_image: str) -> None:
    folder = node.root / "containerd"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.toml"
    config.write_text(
        CONTAINERD_CONFIG.format(root=node.root, socket=node.containerd_socket, pause=pause_image)
    )
    cni = node.root / "cni" / "net.d"
    cni.mkdir(parents=True, exist_ok=True)
    plugins = json.loads(json.dumps(CNI_CONFIG))
    plugins["plugins"][0]["ipam"]["dataDir"] = str(node.root / "cni" / "networks")
    (cni / "10-perfbot.conflist").write_text(json.dumps(plugins, indent=1))
    node.start("containerd", ["containerd", "--config", str(config)])
    node.wait_for("containerd", node.containerd_socket.exists, 60, "containerd")


def import_images(node: Node, archives: list[Path]) -> None:
    for archive in archives:
        node.run(
            [
                "ctr",
                "--address",
                str(node.containerd_socket),
                "-n",
                "k8s.io",
                "images",
                "import",
                "--no-unpack",
                str(archive),
            ],
            timeout=600,
        )


# --- control plane ----------------------------------------------------------------------------
def start_etcd(node: Node) -> None:
    node.start(
        "etcd",
        [
            node.binary("etcd"),
            "--data-dir",
            str(node.root / "etcd"),
            "--name",
            NODE_NAME,
            "--listen-client-urls",
            "http://127.0.0.1:2379",
            "--advertise-client-urls",
            "http://127.0.0.1:2379",
            "--listen-peer-urls",
            "http://127.0.0.1:2380",
            "--initial-advertise-peer-urls",
            "http://127.0.0.1:2380",
            "--initial-cluster",
            f"{NODE_NAME}=http://127.0.0.1:2380",
            "--unsafe-no-fsync",  # a throwaway node: durability buys nothing, fsyncs cost seconds
        ],
    )
    node.wait_for("etcd", lambda: port_open("127.0.0.1", 2379, netns=True), 60, "etcd")


def start_apiserver(node: Node) -> None:
    pki = node.pki
    node.start(
        "kube-apiserver",
        [
            node.binary("kube-apiserver"),
            "--etcd-servers=http://127.0.0.1:2379",
            f"--advertise-address={NODE_IP}",
            "--bind-address=0.0.0.0",
            f"--secure-port={API_PORT}",
            f"--service-cluster-ip-range={SERVICE_CIDR}",
            f"--client-ca-file={pki / 'ca.crt'}",
            f"--tls-cert-file={pki / 'apiserver.crt'}",
            f"--tls-private-key-file={pki / 'apiserver.key'}",
            f"--kubelet-client-certificate={pki / 'admin.crt'}",
            f"--kubelet-client-key={pki / 'admin.key'}",
            f"--service-account-key-file={pki / 'sa.pub'}",
            f"--service-account-signing-key-file={pki / 'sa.key'}",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--authorization-mode=Node,RBAC",
            "--allow-privileged=true",
            "--enable-priority-and-fairness=false",
            "--profiling=false",
            # No DNS here: reach the kubelet (logs, exec) at its IP, not its host name.
            "--kubelet-preferred-address-types=InternalIP",
        ],
    )
    write_kubeconfig(node, node.host_kubeconfig, f"https://127.0.0.1:{node_api_port()}")

    def ready() -> bool:
        result = node.run(
            node.netns(
                node.binary("kubectl"), f"--kubeconfig={node.kubeconfig}", "get", "--raw", "/readyz"
            ),
            check=False,
            timeout=20,
        )
        return result.stdout.strip() == "ok"

    node.wait_for("the API server", ready, 180, "kube-apiserver")


def start_controllers(node: Node) -> None:
    pki = node.pki
    node.start(
        "kube-controller-manager",
        [
            node.binary("kube-controller-manager"),
            f"--kubeconfig={node.kubeconfig}",
            f"--service-account-private-key-file={pki / 'sa.key'}",
            f"--root-ca-file={pki / 'ca.crt'}",
            f"--cluster-signing-cert-file={pki / 'ca.crt'}",
            f"--cluster-signing-key-file={pki / 'ca.key'}",
            f"--service-cluster-ip-range={SERVICE_CIDR}",
            "--leader-elect=false",
            "--use-service-account-credentials=true",
            "--bind-address=127.0.0.1",
        ],
    )
    node.start(
        "kube-scheduler",
        [
            node.binary("kube-scheduler"),
            f"--kubeconfig={node.kubeconfig}",
            "--leader-elect=false",
            "--bind-address=127.0.0.1",
        ],
    )


KUBELET_CONFIG = {
    "apiVersion": "kubelet.config.k8s.io/v1beta1",
    "kind": "KubeletConfiguration",
    "cgroupDriver": "cgroupfs",
    "failCgroupV1": False,
    "failSwapOn": False,
    "authentication": {"anonymous": {"enabled": False}, "webhook": {"enabled": True}},
    "authorization": {"mode": "AlwaysAllow"},
    "resolvConf": "",
    "serializeImagePulls": False,
    "imageGCHighThresholdPercent": 100,
    # A shared disk's usage says nothing about this node: evict only when truly out of room.
    "evictionHard": {
        "memory.available": "100Mi",
        "nodefs.available": "1%",
        "imagefs.available": "1%",
        "nodefs.inodesFree": "1%",
    },
    "enforceNodeAllocatable": [],
    "cgroupsPerQOS": True,
    "localStorageCapacityIsolation": False,
    "maxPods": 60,
    "registerNode": True,
}


def start_kubelet(node: Node) -> None:
    config = dict(KUBELET_CONFIG)
    config["authentication"] = dict(
        config["authentication"], x509={"clientCAFile": str(node.pki / "ca.crt")}
    )
    config["containerRuntimeEndpoint"] = f"unix://{node.containerd_socket}"
    path = node.root / "kubelet-config.json"
    path.write_text(json.dumps(config, indent=1))
    node.start(
        "kubelet",
        [
            node.binary("kubelet"),
            f"--config={path}",
            f"--kubeconfig={node.kubeconfig}",
            f"--node-ip={NODE_IP}",
            f"--hostname-override={NODE_NAME}",
            f"--root-dir={node.root / 'kubelet'}",
        ],
    )

    def registered_and_ready() -> bool:
        result = node.kubectl("get", "node", NODE_NAME, "-o", "json", check=False)
        if result.returncode != 0:
            return False
        conditions = json.loads(result.stdout)["status"].get("conditions", [])
        return any(c["type"] == "Ready" and c["status"] == "True" for c in conditions)

    node.wait_for("the node to be Ready", registered_and_ready, 180, "kubelet")


def start_proxy(node: Node) -> None:
    config = {
        "apiVersion": "kubeproxy.config.k8s.io/v1alpha1",
        "kind": "KubeProxyConfiguration",
        "clientConnection": {"kubeconfig": str(node.kubeconfig)},
        "mode": "iptables",
        "clusterCIDR": POD_CIDR,
        "hostnameOverride": NODE_NAME,
        "iptables": {"masqueradeAll": True},
        # Inside a network namespace the conntrack sysctls are read-only: leave them alone.
        "conntrack": {
            "maxPerCore": 0,
            "min": 0,
            "tcpEstablishedTimeout": "0s",
            "tcpCloseWaitTimeout": "0s",
        },
    }
    path = node.root / "kube-proxy-config.json"
    path.write_text(json.dumps(config, indent=1))
    node.start("kube-proxy", [node.binary("kube-proxy"), f"--config={path}"])


def node_api_port() -> int:
    return int(os.environ.get("PERFBOT_CLUSTER_API_PORT", "16443"))


def start_forwarder(node: Node, routes: list[str], name: str = "forward") -> None:
    """`routes`: LOCAL_PORT:HOST:PORT, the host's 127.0.0.1:LOCAL_PORT to HOST:PORT inside."""
    log = (node.logs / f"{name}.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, str(HERE / "forward.py"), f"/run/netns/{NETNS}", *routes],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    (node.pids / name).write_text(str(process.pid))
    first = int(routes[0].split(":")[0])
    node.wait_for(f"the forwarder {name}", lambda: port_open("127.0.0.1", first), 20, name)


# --- up and down ------------------------------------------------------------------------------
def up(node: Node, pause_image: str, archives: list[Path]) -> None:
    if (Path("/run/netns") / NETNS).exists() or (node.pids.is_dir() and any(node.pids.iterdir())):
        raise ClusterError(
            f"a cluster is already up (or was not taken down) in {node.root}: "
            "run the harness's `down` first"
        )
    started = time.monotonic()
    node.root.mkdir(parents=True, exist_ok=True)
    mount_scratch(node.root)
    node.pids.mkdir(parents=True, exist_ok=True)
    say("network namespace and certificates")
    make_network(node)
    make_certificates(node)
    say("containerd, and the images")
    start_containerd(node, pause_image)
    import_images(node, archives)
    say("etcd and the API server")
    start_etcd(node)
    start_forwarder(node, [f"{node_api_port()}:{NODE_IP}:{API_PORT}"], "forward-api")
    start_apiserver(node)
    say("controllers, kubelet, kube-proxy")
    start_controllers(node)
    start_proxy(node)
    start_kubelet(node)
    say(f"the node is Ready ({time.monotonic() - started:.0f} s)")


def mount_scratch(root: Path) -> None:
    """The cluster's folder on a tmpfs, so that `down` ends it with one unmount.

    A session leaves some 90,000 files there (containerd's snapshots, above all the image
    builds' vfs layers); on a disk mounted with `discard`, as this kind of VM's is, removing
    them one by one took four minutes. Only what is written takes memory (a session: 4-6 GB).
    """
    if root.is_mount():
        return
    subprocess.run(
        [
            "mount",
            "-t",
            "tmpfs",
            "-o",
            f"size={SCRATCH_SIZE},mode=0755",
            "perfbot-cluster",
            str(root),
        ],
        check=True,
        capture_output=True,
    )


def gone(pid: int) -> bool:
    """Exited: reaped now if it is this process's child, or a zombie another parent will reap
    (a zombie still answers signal 0, which would make every stop wait out its grace)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
    except ChildProcessError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return True
    return state == "Z"


def stop_pid(pid: int, grace: float = 10) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        except PermissionError:
            os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if gone(pid):
                return
            time.sleep(0.2)


def down(node: Node) -> list[str]:
    """End every process, remove the namespace, the host paths and cgroups; say what was done."""
    done = []
    if node.pids.is_dir():
        # The kubelet first (so it restarts nothing), containerd's shims with containerd last.
        order = ["kubelet", "kube-proxy", "kube-scheduler", "kube-controller-manager"]
        names = sorted(p.name for p in node.pids.iterdir())
        for name in [*[n for n in order if n in names], *[n for n in names if n not in order]]:
            if name == "containerd":
                continue
            stop_pid(int((node.pids / name).read_text()))
            (node.pids / name).unlink()
            done.append(f"stopped {name}")
        stop_shims(node)
        if (node.pids / "containerd").exists():
            stop_pid(int((node.pids / "containerd").read_text()))
            (node.pids / "containerd").unlink()
            done.append("stopped containerd")
    subprocess.run(["ip", "netns", "delete", NETNS], capture_output=True)
    subprocess.run(["ip", "link", "delete", HOST_LINK], capture_output=True)
    unmount_under(node.root)
    unmount_under(Path("/var/lib/kubelet"))
    unmount_under(Path("/run/containerd"))
    for path in HOST_PATHS:
        if path.endswith("-"):
            for leftover in Path(path).parent.glob(Path(path).name + "*"):
                subprocess.run(["umount", "-l", str(leftover)], capture_output=True)
                leftover.unlink(missing_ok=True)
        elif Path(path).exists():
            shutil.rmtree(path, ignore_errors=True)
    remove_cgroups()
    if node.root.exists():
        shutil.rmtree(node.root, ignore_errors=True)
        done.append(f"removed {node.root}")
    return done


def stop_shims(node: Node) -> None:
    """containerd-shim processes outlive containerd by design; end those of this node."""
    result = subprocess.run(
        ["pgrep", "-f", f"containerd-shim.*-address {node.containerd_socket}"],
        capture_output=True,
        text=True,
    )
    for pid in result.stdout.split():
        stop_pid(int(pid), grace=5)


def unmount_under(folder: Path) -> None:
    mounts = Path("/proc/mounts").read_text().splitlines()
    points = [line.split()[1] for line in mounts if line.split()[1].startswith(str(folder))]
    for point in sorted(points, key=len, reverse=True):
        subprocess.run(["umount", "-l", point], capture_output=True)


def remove_cgroups() -> None:
    """The kubelet's `kubepods` hierarchy in every cgroup v1 controller, deepest first."""
    for controller in CGROUP_ROOT.iterdir() if CGROUP_ROOT.is_dir() else []:
        top = controller / "kubepods"
        if not top.is_dir():
            continue
        for folder in sorted(
            (p for p in top.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)
        ):
            with contextlib.suppress(OSError):
                folder.rmdir()
        with contextlib.suppress(OSError):
            top.rmdir()
