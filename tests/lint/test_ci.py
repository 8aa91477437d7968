"""CI fails loudly on a machine without Go instead of skipping Argo's validator."""

from __future__ import annotations

import shutil
import subprocess


def test_ci_without_go_stops_before_installing_anything_and_says_why(project_root, tmp_path):
    bin_dir = tmp_path / "bin"  # a PATH with what the script needs to start, and no Go
    bin_dir.mkdir()
    for tool in ("dirname", "mktemp", "python3", "make"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    bash = shutil.which("bash")
    assert bash
    scratch = tmp_path / "tmp"  # where the script would put its venv and build log
    scratch.mkdir()

    result = subprocess.run(
        [bash, str(project_root / ".ci" / "run")],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path), "TMPDIR": str(scratch)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert "CI needs Go 1.25 or later" in result.stderr
    assert "https://go.dev/dl/" in result.stderr
    assert list(scratch.iterdir()) == []  # no venv made, no build started
