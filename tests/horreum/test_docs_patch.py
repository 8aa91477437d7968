"""The overlay patch docs/horreum.md gives operators renders with `kubectl kustomize` and
mounts the Horreum key into the bot only."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
OPENING = "# kustomization.yaml: patches: [{path: horreum.yaml}]\n"


def documented_patch(project_root: Path) -> str:
    text = (project_root / "docs" / "horreum.md").read_text(encoding="utf-8")
    block = text.split(OPENING, 1)[1].split("```", 1)[0]
    return "\n".join(line.removeprefix("   ") for line in block.splitlines())


def test_the_documented_patch_mounts_the_key_into_the_bot_alone(
    tmp_path: Path, project_root: Path
) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "horreum.yaml").write_text(documented_patch(project_root))
    shutil.copytree(project_root / "deploy", tmp_path / "deploy")
    (overlay / "kustomization.yaml").write_text(
        "resources: [../deploy/base]\npatches: [{path: horreum.yaml}]\n"
    )

    argv = ["kubectl", "kustomize", str(overlay)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)

    assert done.returncode == 0, done.stderr
    objects = [o for o in yaml.safe_load_all(done.stdout) if o]
    [bot] = [o for o in objects if o["kind"] == "Deployment"]
    pod = bot["spec"]["template"]["spec"]
    [container] = pod["containers"]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert mounts["horreum-perf-team"] == "/var/run/secrets/perfbot/horreum/horreum-perf-team"
    assert {"config", "github-app-key", "tmp"} <= set(mounts)  # the base's mounts are kept
    env = {e["name"] for e in container["env"]}
    assert {"PERFBOT_HORREUM_ACTION_TOKEN", "GITHUB_WEBHOOK_SECRET"} <= env
