"""The harness's own promises, checked without a cluster: pins in one place, the overlay's
templates rendered from its config, the cluster's demo job the demo's own, the forwarder."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
import yaml

from tests.cluster import build
from workflows.config import load_config
from workflows.pipeline.render import render

OVERLAY = build.HERE / "overlay"
DEMO_CONFIG = build.ROOT / "examples" / "demo" / "perfbot.yaml"
# What the cluster's demo job may change: where images and sources come from, and its volume.
CLUSTER_ONLY = {
    ("build", "builder_image"),
    ("build", "crane_image"),
    ("build", "workspace"),
    ("benchmark", "image"),
}


# The cluster's own negative cases: each must fail, and be reported.
EXTRA_JOBS = {
    "shop-api-oversized",
    "shop-api-build-fails",
    "shop-api-never-ready",
    "shop-api-benchmark-fails",
}


def test_argo_is_pinned_once_for_the_validator_and_the_cluster() -> None:
    go_mod = (build.ROOT / "tools" / "argo-validate" / "go.mod").read_text()
    assert f"{build.ARGO_MODULE} {build.argo_version()}" in go_mod
    assert (
        "argo" not in build.VERSIONS_FILE.read_text().split("[kubernetes]")[1].lower().split("#")[0]
    )


def test_a_go_mod_without_argo_is_refused(tmp_path: Path) -> None:
    go_mod = tmp_path / "go.mod"
    go_mod.write_text("module x\n\nrequire example.com/other v1.0.0\n")
    with pytest.raises(build.BuildFailed, match="requires no"):
        build.argo_version(go_mod)


def test_every_component_has_a_pin() -> None:
    pins = build.versions()
    for component in build.COMPONENTS:
        assert pins[component.pins]["version"].startswith("v"), component.name


def test_changing_a_pin_changes_the_cache_folder() -> None:
    pins = build.versions()
    kube = next(c for c in build.COMPONENTS if c.name == "kubernetes")
    other = {**pins, "kubernetes": {**pins["kubernetes"], "version": "v1.34.5"}}
    assert kube.folder(pins) != kube.folder(other)


def test_the_overlay_templates_are_rendered_from_its_config() -> None:
    files = render(load_config(OVERLAY / "perfbot.yaml"), source="perfbot.yaml")
    committed = OVERLAY / "templates"
    assert sorted(p.name for p in committed.iterdir()) == sorted(files)
    for name, text in files.items():
        assert (committed / name).read_text() == text, f"{name} drifted: run `make cluster-render`"


def _jobs(path: Path) -> dict:
    return yaml.safe_load(path.read_text())["repos"]


def test_the_cluster_runs_the_demo_job_with_only_its_images_and_volume_changed() -> None:
    demo = _jobs(DEMO_CONFIG)["perfbot-demo/shop"]["jobs"]
    cluster = _jobs(OVERLAY / "perfbot.yaml")["perfbot-demo/shop"]["jobs"]
    assert set(cluster) - set(demo) == EXTRA_JOBS
    for name, job in demo.items():
        theirs = cluster[name]
        for section in set(job) | set(theirs):
            mine, other = job.get(section), theirs.get(section)
            if not isinstance(mine, dict):
                assert mine == other, section
                continue
            for key in set(mine) | set(other):
                if (section, key) in CLUSTER_ONLY:
                    continue
                assert mine.get(key) == other.get(key), f"{section}.{key}"


def test_the_forwarder_bridges_a_port(tmp_path: Path) -> None:
    """Without a namespace to enter (the host's own), it is a plain TCP forwarder."""
    from tests.cluster import forward

    upstream = socket.create_server(("127.0.0.1", 0))
    port = upstream.getsockname()[1]

    def echo() -> None:
        connection, _ = upstream.accept()
        with connection:
            connection.sendall(connection.recv(100).upper())

    threading.Thread(target=echo, daemon=True).start()
    listener = socket.create_server(("127.0.0.1", 0))
    local = listener.getsockname()[1]
    threading.Thread(
        target=forward.serve, args=(listener, ("127.0.0.1", port)), daemon=True
    ).start()
    with socket.create_connection(("127.0.0.1", local), timeout=5) as client:
        client.sendall(b"hello")
        assert client.recv(100) == b"HELLO"


def test_a_stopped_child_is_gone_at_once_not_after_the_grace() -> None:
    """A child that exited is a zombie until reaped, and a zombie still answers signal 0:
    taking the cluster down must not wait out each process's grace period for it."""
    import subprocess
    import time

    from tests.cluster import node

    child = subprocess.Popen(["sleep", "60"], start_new_session=True)
    started = time.monotonic()
    node.stop_pid(child.pid, grace=5)
    assert time.monotonic() - started < 2
    assert node.gone(child.pid)


def test_a_process_that_ignores_sigterm_is_killed_after_the_grace() -> None:
    import subprocess
    import time

    from tests.cluster import node

    child = subprocess.Popen(["sh", "-c", "trap '' TERM; sleep 60 & wait"], start_new_session=True)
    time.sleep(0.3)
    started = time.monotonic()
    node.stop_pid(child.pid, grace=1)
    assert 1 <= time.monotonic() - started < 3  # SIGTERM's grace, then SIGKILL at once
    assert node.gone(child.pid)
