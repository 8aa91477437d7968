"""`python -m tests.cluster build|up|down|status`: the real cluster the e2e tests run on.

- `build`: the binaries (Go module proxy) and images (buildah, debootstrap), cached by version;
- `up`: build if needed, then the node, Argo, the S3 store and the image registry; prints the
  kubeconfig and the Argo Server's address on the host;
- `down`: ends every process by PID and removes every path the cluster made;
- `status`: what is running.

Run as root: a cluster needs network namespaces, mounts and cgroups. `make cluster-up`,
`make cluster-down` and `make e2e` wrap these.
"""

from __future__ import annotations

import argparse
import sys
import time

from tests.cluster import argo, build, images, node, registry


def cmd_build(_: argparse.Namespace) -> None:
    build.build_all(say=node.say)
    images.ensure_all(say=node.say)


def bring_up(target: node.Node) -> None:
    started = time.monotonic()
    target.bins = build.build_all(say=node.say)
    archives = images.ensure_all(say=node.say)
    try:
        node.up(target, images.PAUSE, list(archives.values()))
        node.say("Argo: CRDs, controller, server; the S3 store")
        argo.install_crds(target)
        argo.start_s3(target)
        argo.start_argo(target)
        node.say("the image registry, with the builds' base image")
        registry.start(target)
        registry.push(target, archives["python"], registry.BASE)
    except BaseException:
        node.say("bring-up failed: taking the cluster down")
        node.down(target)
        raise
    node.say(f"cluster up in {time.monotonic() - started:.0f} s")


def cmd_up(_: argparse.Namespace) -> None:
    target = node.Node()
    bring_up(target)
    print(f"KUBECONFIG={target.host_kubeconfig}")
    print(f"ARGO_SERVER=127.0.0.1:{argo.host_argo_port()}")


def cmd_down(_: argparse.Namespace) -> None:
    for line in node.down(node.Node()):
        node.say(line)


def cmd_status(_: argparse.Namespace) -> None:
    target = node.Node()
    if not target.pids.is_dir():
        print("no cluster")
        return
    for pid_file in sorted(target.pids.iterdir()):
        print(f"{pid_file.name}: {'running' if target.alive(pid_file.name) else 'exited'}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.cluster")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler in (
        ("build", cmd_build),
        ("up", cmd_up),
        ("down", cmd_down),
        ("status", cmd_status),
    ):
        commands.add_parser(name).set_defaults(handler=handler)
    args = parser.parse_args(argv)
    try:
        args.handler(args)
    except (build.BuildFailed, images.ImageFailed, node.ClusterError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
